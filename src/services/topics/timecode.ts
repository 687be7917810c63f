/** `HH:MM:SS` (whole seconds, rounded down) as LEAP writes transcript lines and chapters. */
export function formatClock(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds + 1e-6) : 0;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(total / 3600))}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
}

/**
 * Seconds of `H:MM:SS`, `HH:MM:SS(.mmm)` or `MM:SS` (LEAP accepts MM:SS), or null when it is not a
 * valid time (minutes and seconds must be < 60).
 */
export function parseClock(text: string): number | null {
  const m = /^\s*\[?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*\]?\s*$/.exec(text);
  if (!m) return null;
  return clockSeconds(m[1]!, m[2]!, m[3]);
}

/** Seconds of the captured parts of a clock match (the third part makes it H:MM:SS). */
export function clockSeconds(first: string, second: string, third: string | undefined): number | null {
  const a = Number(first);
  const b = Number(second);
  if (third === undefined) return b < 60 ? a * 60 + b : null;
  const c = Number(third);
  return b < 60 && c < 60 ? a * 3600 + b * 60 + c : null;
}
