/** Speed over the last few seconds of one file's upload, and the time left at that speed. */
const WINDOW_MS = 6_000;

export class Throughput {
  private samples: { at: number; bytes: number }[] = [];

  reset(): void {
    this.samples = [];
  }

  /** Total bytes of the file confirmed or in flight, now. */
  add(bytes: number, at = performance.now()): void {
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - (this.samples[0]?.at ?? at) > WINDOW_MS) this.samples.shift();
  }

  bytesPerSecond(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 500) return null;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }
}
