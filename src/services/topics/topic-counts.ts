import type { TopicGranularity } from "./types";

export interface TopicCounts {
  min: number;
  max: number;
  /** The least time between two chapter starts. */
  minSpacingMinutes: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * LEAP's chapter-count formulas (§5.5) with d = the duration in minutes clamped to 50–180:
 * long: min = ⌊10 + (d−50)·8/130⌋ in 10–18, max = ⌊16 + (d−50)·10/130⌋ in 16–26, spacing = d·0.05
 * in 4–6 min; short: min = ⌊3 + (d−50)·4/130⌋ in 3–8, max = ⌊5 + (d−50)·5/130⌋ in 5–12, spacing =
 * d·0.12 in 10–18 min. "medium" is the midpoint of the two: counts rounded half up, spacing the
 * plain average.
 */
export function topicCounts(durationMinutes: number, granularity: TopicGranularity): TopicCounts {
  const d = clamp(Number.isFinite(durationMinutes) ? durationMinutes : 0, 50, 180);
  const long: TopicCounts = {
    min: clamp(Math.floor(10 + ((d - 50) * 8) / 130), 10, 18),
    max: clamp(Math.floor(16 + ((d - 50) * 10) / 130), 16, 26),
    minSpacingMinutes: clamp(d * 0.05, 4, 6),
  };
  const short: TopicCounts = {
    min: clamp(Math.floor(3 + ((d - 50) * 4) / 130), 3, 8),
    max: clamp(Math.floor(5 + ((d - 50) * 5) / 130), 5, 12),
    minSpacingMinutes: clamp(d * 0.12, 10, 18),
  };
  if (granularity === "long") return long;
  if (granularity === "short") return short;
  return {
    min: Math.round((long.min + short.min) / 2),
    max: Math.round((long.max + short.max) / 2),
    minSpacingMinutes: (long.minSpacingMinutes + short.minSpacingMinutes) / 2,
  };
}
