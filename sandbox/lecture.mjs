// The sandbox's sample lecture: a real, small ISO-BMFF file (H.264 + AAC, moov in front) that the
// trim stage can cut. With ffmpeg on PATH, a 2-minute 320x180 lecture with silent ends (the speech
// tone runs from 8 s to 112 s) is encoded once (a few seconds) and cached under the sandbox state
// directory; without ffmpeg, the 6-second test fixture test/fixtures/media/av-faststart.mp4 is used.
// No network either way.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import path from "node:path";

// Resolved from this file, so callers in any working directory (the browser journeys' setup) find it.
const FIXTURE = path.resolve(import.meta.dirname, "../test/fixtures/media/av-faststart.mp4");

function hasFfmpeg() {
  try {
    execFileSync("ffmpeg", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * @param {string} dir where a generated lecture is cached
 * @param {{ generate?: boolean }} [options] `generate: false`: the fixture even when ffmpeg exists
 * @returns {{ path: string, size: number, duration: number, speechStart: number, speechEnd: number, generated: boolean }}
 */
export function ensureSampleLecture(dir, { generate = true } = {}) {
  const file = path.join(dir, "sample-lecture-120s.mp4");
  if (generate && !existsSync(file) && hasFfmpeg()) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.partial.mp4`;
    try {
      execFileSync(
        "ffmpeg",
        [
          "-v", "error", "-nostdin", "-y",
          "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15",
          "-f", "lavfi", "-i", "aevalsrc=if(between(t\\,8\\,112)\\,0.3*sin(2*PI*440*t)\\,0):s=32000:d=120",
          "-t", "120",
          "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-b:v", "150k", "-pix_fmt", "yuv420p",
          "-c:a", "aac", "-b:a", "48k", "-ac", "1", "-ar", "32000",
          "-movflags", "+faststart",
          partial,
        ],
        { stdio: ["ignore", "ignore", "inherit"], timeout: 60_000 },
      );
      renameSync(partial, file);
    } catch (error) {
      console.warn(`sandbox: ffmpeg could not make the 2-minute lecture (${error.message}); using ${path.relative(process.cwd(), FIXTURE)}`);
    }
  }
  if (generate && existsSync(file)) return { path: file, size: statSync(file).size, duration: 120, speechStart: 10, speechEnd: 110, generated: true };
  return { path: FIXTURE, size: statSync(FIXTURE).size, duration: 6, speechStart: 1, speechEnd: 5, generated: false };
}
