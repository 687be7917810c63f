// Shared by the latency benches: autocannon runs and the issue-17 convention of reporting each
// path as a ratio against a reference measured in the same run (absolute times here are noisy).
import autocannon from "autocannon";

export function runAutocannon(options) {
  return new Promise((resolve, reject) => autocannon(options, (err, result) => (err ? reject(err) : resolve(result))));
}

/** autocannon reports p90, p97.5 and p99 but not p95: interpolated from its histogram points. */
export const p95Of = (r) => r.latency.p90 + ((r.latency.p97_5 - r.latency.p90) * (95 - 90)) / (97.5 - 90);

/** A warm-up run, then the measured one. */
export async function measure(options, { warmup = 2, duration = 5 } = {}) {
  await runAutocannon({ ...options, duration: warmup });
  return runAutocannon({ ...options, duration });
}

export const ratio = (value, reference) => (reference > 0 ? value / reference : Number.POSITIVE_INFINITY);
export const fmtRatio = (value, reference) => `${ratio(value, reference).toFixed(2)}×`;

/** "PASS"/"MISS" against the target, e.g. verdict(ratio, (r) => r <= 1.5). */
export const verdict = (value, ok) => (ok(value) ? "meets target" : "misses target");
