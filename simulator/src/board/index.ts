export { EmulatedBoard, LoadRefused, bytesOf, stringOf } from "./emulated-board";
export type { EmulatedBoardOptions, DeviceConfig, MemoryUsage, FlashStats } from "./emulated-board";
export { BOARDS, boardFacts } from "./boards";
export type { BoardId, BoardFacts } from "./boards";
export { PowerCut, type PowerCutPlan } from "../espruino/power-cut";
export type { ScanOptions } from "../espruino/uart";
export type { BoardEvent } from "../espruino/events";
export { VirtualTimers } from "../espruino/virtual-timers";
