/**
 * Seconds → whole milliseconds, rounding half up on the decimal value that was meant: 1.0005 s is
 * 1000.4999… ms as a double, so it is first rounded to microseconds (→ 1001 ms, not 1000).
 */
export function toMilliseconds(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.round(Math.round(seconds * 1_000_000) / 1000);
}

/** `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (VTT); hours keep all their digits past 99. */
export function formatTimestamp(seconds: number, separator: "," | "."): string {
  const total = toMilliseconds(seconds);
  const millis = total % 1000;
  const totalSeconds = (total - millis) / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const secs = totalSeconds % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(hours)}:${two(minutes)}:${two(secs)}${separator}${String(millis).padStart(3, "0")}`;
}
