// Calendar helpers in China Standard Time (UTC+8, no daylight saving): clinic days and
// hours are local, record times are Unix seconds.
const CST_OFFSET = 8 * 3600;
const DAY = 86400;

/** Local day number (days since 1970-01-01 CST). */
export function localDayNumber(t: number): number {
  return Math.floor((t + CST_OFFSET) / DAY);
}

/** "YYYY-MM-DD" in CST. */
export function localDay(t: number): string {
  return new Date((t + CST_OFFSET) * 1000).toISOString().slice(0, 10);
}

/** Minutes after local midnight. */
export function localMinute(t: number): number {
  return Math.floor((((t + CST_OFFSET) % DAY) + DAY) % DAY / 60);
}

/** 0 = Sunday ... 6 = Saturday, local. */
export function localWeekday(t: number): number {
  return new Date((t + CST_OFFSET) * 1000).getUTCDay();
}

/** Unix seconds of local midnight starting "YYYY-MM-DD". */
export function dayStart(day: string): number {
  return Date.parse(day + "T00:00:00Z") / 1000 - CST_OFFSET;
}

/** True when `minute` lies in [start, end), the window possibly wrapping midnight. */
export function inWindow(minute: number, start: number, end: number): boolean {
  return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
}
