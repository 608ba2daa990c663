// Numeric limits of the wire format, shared by the encoders, the board's record check and
// the gateway's validation (one place, so they can never disagree).

/** Most records in one batch frame (the size limit usually binds first). */
export const MAX_RECORDS_PER_FRAME = 250;
export const MAX_UNITS = 65535;
export const MAX_RX_CHARS = 40;
export const MAX_BATCH_CHARS = 20;
/** Status frame: firmware version string and board name lengths. */
export const MAX_FIRMWARE_CHARS = 40;
export const MAX_BOARD_CHARS = 16;
