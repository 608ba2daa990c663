export default async function globalTeardown(): Promise<void> {
  const broker = globalThis.__VT_BROKER__;
  if (broker) await broker.stop();
}
