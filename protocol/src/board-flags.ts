// Facts about the board a bundle is built for, fixed when it is built. Node (the gateway, the
// tests) reads this file as it is; the firmware build puts the board's own values in its place
// (firmware/build/bundle.ts), so the minifier drops what that board never uses.

/** The board has a display: the texts only a display shows are built in. */
export const HAS_DISPLAY: boolean = true;

/** The board has a network (WiFi + MQTT): its provisioning's mqtt and wifi entries are read. */
export const HAS_NET: boolean = true;

/**
 * The board's Storage is an area of 1 MB or more in 4 KB pages (ESP32), where the firmware pads
 * page 0 after vtcfg (firmware/src/config.ts). The Pico's 48 KB never qualifies.
 */
export const LARGE_STORAGE: boolean = true;
