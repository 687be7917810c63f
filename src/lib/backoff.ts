const MAX_BACKOFF_SECONDS = 15 * 60;

/** Exponential backoff with jitter: base, 2·base, 4·base … capped at 15 min, each scaled by 0.5–1. */
export function retryDelaySeconds(attempts: number, random: () => number = Math.random, baseSeconds = 10): number {
  const ceiling = Math.min(MAX_BACKOFF_SECONDS, baseSeconds * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.round(ceiling * (0.5 + random() / 2)));
}
