/**
 * Digital silence from the sample table alone (MEDIA.md §6): an AAC encoder spends almost no bits
 * on true digital silence (~100 B/s against ~10 kB/s for speech), so summing frame sizes per
 * second finds muted or empty stretches without reading or decoding any audio. It cannot find
 * quiet rooms or background noise — use the transcript's speech timing for that; this is the
 * cheap cross-check.
 */
import { view } from "./boxes";
import { type Movie, primaryTracks } from "./movie";
import { SampleClock, sampleSize } from "./sample-tables";

/** Bytes of audio payload presented in each whole second of the first audio track (index = second). */
export function audioPayloadPerSecond(movie: Movie): Float64Array {
  const { audio } = primaryTracks(movie);
  if (!audio) return new Float64Array(0);
  const dv = view(movie.moov);
  const clock = new SampleClock(dv, audio);
  const seconds = Math.ceil(movie.duration) + 1;
  const perSecond = new Float64Array(seconds);
  for (; clock.index < audio.sampleCount; clock.next()) {
    const second = Math.floor(clock.pts / audio.timescale);
    if (second >= 0 && second < seconds) perSecond[second] = (perSecond[second] ?? 0) + sampleSize(dv, audio, clock.index);
  }
  return perSecond.subarray(0, Math.max(0, Math.ceil(movie.duration)));
}

export interface SilentEdges {
  /** Whole seconds of digital silence at the start and at the end. */
  leading: number;
  trailing: number;
  /** The bytes-per-second level below which a second counts as silent. */
  threshold: number;
}

/**
 * Leading and trailing runs of seconds whose payload is under `ratio` × the median second
 * (0.35 separated silence from speech, tone and noise in MEDIA.md §6).
 */
export function silentEdges(perSecond: Float64Array, ratio = 0.35): SilentEdges {
  if (perSecond.length === 0) return { leading: 0, trailing: 0, threshold: 0 };
  const sorted = Float64Array.from(perSecond).sort();
  const threshold = ratio * (sorted[Math.floor(sorted.length / 2)] ?? 0);
  let leading = 0;
  while (leading < perSecond.length && (perSecond[leading] ?? 0) < threshold) leading++;
  let trailing = 0;
  while (trailing < perSecond.length - leading && (perSecond[perSecond.length - 1 - trailing] ?? 0) < threshold) trailing++;
  return { leading, trailing, threshold };
}
