// Local time in a county is China Standard Time (UTC+8, no daylight saving).
export const CST_OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 86_400_000;

/** Unix ms of local midnight of "YYYY-MM-DD"; NaN when the date is not a real one. */
export function localMidnightMs(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return NaN;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== +m[1] || back.getUTCMonth() !== +m[2] - 1 || back.getUTCDate() !== +m[3]) return NaN;
  return ms - CST_OFFSET_MS;
}

/** Minutes after midnight for "HH:MM" (24:00 allowed as the end of a day); NaN when malformed. */
export function parseHhMm(s: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m || +m[2] > 59 || +m[1] > 24 || (+m[1] === 24 && +m[2] !== 0)) return NaN;
  return +m[1] * 60 + +m[2];
}

/** A local window "HH:MM-HH:MM" as [from, to) minutes; the end may pass midnight ("22:00-02:00"). */
export function parseWindow(s: string): { from: number; to: number } | null {
  if (typeof s !== "string") return null;
  const parts = s.split("-");
  if (parts.length !== 2) return null;
  const from = parseHhMm(parts[0]);
  let to = parseHhMm(parts[1]);
  if (Number.isNaN(from) || Number.isNaN(to) || from === to) return null;
  if (to < from) to += 24 * 60;
  return { from, to };
}
