// Embedded aedes broker in its own process: aedes v1 is an ES module, which jest's module
// loader cannot require, so the suites reach it over TCP like any other broker.
import { createServer } from "node:net";
import { Aedes } from "aedes";

const port = Number(process.argv[2]);
const broker = await Aedes.createBroker();
const server = createServer(broker.handle);
server.listen(port, "127.0.0.1", () => process.stdout.write(`listening ${port}\n`));
const stop = () => broker.close(() => server.close(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
