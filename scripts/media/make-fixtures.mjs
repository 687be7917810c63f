// Regenerates the cutter's test fixtures and their expected results with ffmpeg, then checks the
// cutter's own outputs with ffmpeg/ffprobe. Needs ffmpeg on PATH (Debian: apt-get install ffmpeg;
// or FFMPEG=/path/to/ffmpeg FFPROBE=/path/to/ffprobe). Never used by `npm test`, which only reads
// the committed files.
//   node scripts/media/make-fixtures.mjs            # fixtures + expected.json + verification
//   node scripts/media/make-fixtures.mjs --verify   # only verify the committed fixtures
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileRangeReader, fileSink, loadCutter } from "./cutter.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const dir = path.join(root, "test/fixtures/media");
const FFMPEG = process.env.FFMPEG ?? "ffmpeg";
const FFPROBE = process.env.FFPROBE ?? "ffprobe";
const tmp = mkdtempSync(path.join(tmpdir(), "media-fixtures-"));
const at = (name) => path.join(dir, name);

const ffmpeg = (...args) => execFileSync(FFMPEG, ["-v", "error", "-nostdin", "-y", ...args], { stdio: ["ignore", "pipe", "pipe"] });
const probe = (file, ...args) => JSON.parse(execFileSync(FFPROBE, ["-v", "error", "-of", "json", ...args, file]).toString());

// Speech-like test audio: digital silence, then an amplitude-modulated tone, then silence again.
const audioExpr = (channels, from, to) =>
  Array.from({ length: channels }, (_, c) => `if(between(t\\,${from}\\,${to})\\,0.4*sin(2*PI*${440 + 110 * c}*t)*(1+0.5*sin(2*PI*3*t))\\,0)`).join("|");

const SOURCES = {
  // moov at the end (ffmpeg's default), 30 fps, 2 B-frames, GOP 2 s, AAC 32 kHz mono (like Zoom).
  "av-moov-end.mp4": [
    "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30",
    "-f", "lavfi", "-i", `aevalsrc=exprs=${audioExpr(1, 2, 6)}:s=32000`,
    "-t", "8", "-c:v", "libx264", "-preset", "superfast", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
    "-bf", "2", "-b:v", "150k", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k", "-ar", "32000",
  ],
  // moov at the start (faststart), 25 fps, 3 B-frames, GOP 2 s, AAC 48 kHz stereo.
  "av-faststart.mp4": [
    "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
    "-f", "lavfi", "-i", `aevalsrc=exprs=${audioExpr(2, 1, 5)}:s=48000`,
    "-t", "6", "-c:v", "libx264", "-preset", "superfast", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
    "-bf", "3", "-b:v", "150k", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-ar", "48000",
    "-movflags", "+faststart",
  ],
};

/** Cases: what the tests cut and what ffmpeg says the result must contain. */
const CASES = [
  { name: "moov-end mid GOP", file: "av-moov-end.mp4", start: 2.5, end: 6.3, gop: 2 },
  { name: "moov-end from a keyframe to the end", file: "av-moov-end.mp4", start: 4, end: 100, gop: 2 },
  { name: "moov-end first GOP (keeps AAC priming)", file: "av-moov-end.mp4", start: 0.5, end: 5, gop: 2 },
  { name: "moov-end short", file: "av-moov-end.mp4", start: 5.1, end: 5.9, gop: 2 },
  { name: "faststart mid GOP", file: "av-faststart.mp4", start: 2.7, end: 5.1, gop: 2 },
  { name: "co64 mid GOP", file: "av-co64.mp4", start: 2.7, end: 5.1, gop: 2 },
  { name: "co64 tail", file: "av-co64.mp4", start: 4.1, end: 100, gop: 2 },
  { name: "audio extraction, whole", file: "av-moov-end.mp4", start: 0, end: 100, mode: "audio" },
  { name: "audio extraction, range", file: "av-moov-end.mp4", start: 1.3, end: 4.7, mode: "audio" },
  { name: "audio extraction from stereo faststart", file: "av-faststart.mp4", start: 0, end: 100, mode: "audio" },
];

function framemd5(file, ...inputArgs) {
  const out = path.join(tmp, "frames.txt");
  ffmpeg(...inputArgs, "-i", file, "-map", "0", "-c", "copy", "-f", "framemd5", out);
  const streams = {};
  const kinds = {};
  for (const line of readFileSync(out, "utf8").split("\n")) {
    const media = /^#media_type (\d+): (\w+)/.exec(line);
    if (media) kinds[media[1]] = media[2];
    const tb = /^#tb (\d+): (\d+)\/(\d+)/.exec(line);
    if (tb) streams[tb[1]] = { timebase: [Number(tb[2]), Number(tb[3])], packets: [] };
    if (line.startsWith("#") || !line.trim()) continue;
    const [index, dts, pts, , size, md5] = line.split(",").map((s) => s.trim());
    streams[index].packets.push([Number(dts), Number(pts), Number(size), md5]);
  }
  return Object.fromEntries(Object.entries(streams).map(([i, s]) => [kinds[i], s]));
}

function generate() {
  for (const [name, args] of Object.entries(SOURCES)) ffmpeg(...args, at(name));
  execFileSync("node", [path.join(import.meta.dirname, "rewrite-co64.mjs"), at("av-faststart.mp4"), at("av-co64.mp4")], { stdio: "inherit" });
  const packets = (file) => JSON.stringify(framemd5(file));
  if (packets(at("av-co64.mp4")) !== packets(at("av-faststart.mp4"))) throw new Error("co64 rewrite changed the packets");
  const expected = [];
  for (const c of CASES) {
    let source = at(c.file);
    if (c.mode === "audio") {
      // ffmpeg's seek on the A/V file would align audio to a video keyframe: cut the audio-only copy instead.
      source = path.join(tmp, "audio.m4a");
      ffmpeg("-i", at(c.file), "-vn", "-c:a", "copy", source);
    }
    // No -ss for a cut from 0: ffmpeg would seek past the AAC priming frame that a whole copy keeps.
    const reference = framemd5(source, ...(c.start > 0 ? ["-ss", String(c.start)] : []), "-to", String(c.end));
    expected.push({ ...c, mode: c.mode ?? "all", ffmpeg: reference });
  }
  const sources = Object.fromEntries(
    ["av-moov-end.mp4", "av-faststart.mp4", "av-co64.mp4"].map((f) => [f, { full: framemd5(at(f)), probe: probe(at(f), "-show_entries", "stream=codec_type,start_time,duration,nb_frames") }]),
  );
  writeFileSync(at("expected.json"), `${JSON.stringify({ generatedBy: "scripts/media/make-fixtures.mjs", ffmpeg: execFileSync(FFMPEG, ["-version"]).toString().split("\n")[0], cases: expected, sources }, null, 0)}\n`);
}

/** Cuts every case with our cutter and checks the result with ffmpeg itself. */
async function verify() {
  const cutter = await loadCutter();
  const { cases } = JSON.parse(readFileSync(at("expected.json"), "utf8"));
  let failures = 0;
  for (const c of cases) {
    const source = await fileRangeReader(at(c.file));
    const plan = cutter.planCut(await cutter.readMovie(source), { start: c.start, end: c.end }, { tracks: c.mode });
    const out = path.join(tmp, `out-${c.mode === "audio" ? "a.m4a" : "v.mp4"}`);
    await cutter.writeCut(plan, source, await fileSink(out));
    await source.handle.close();
    const problems = [];
    const decode = spawnSync(FFMPEG, ["-v", "error", "-nostdin", "-i", out, "-f", "null", "-"], { encoding: "utf8" });
    if (decode.status !== 0 || decode.stderr.trim()) problems.push(`decode errors: ${decode.stderr.split("\n").slice(0, 3).join(" | ")}`);
    const streams = probe(out, "-show_entries", "stream=codec_type,start_time,duration").streams;
    for (const s of streams) if (Math.abs(Number(s.start_time)) > 1e-3) problems.push(`${s.codec_type} start_time ${s.start_time}`);
    const kinds = streams.map((s) => s.codec_type).sort().join(",");
    if (kinds !== (c.mode === "audio" ? "audio" : "audio,video")) problems.push(`streams ${kinds}`);
    const ours = framemd5(out);
    for (const [kind, ref] of Object.entries(c.ffmpeg)) {
      const got = ours[kind]?.packets.map((p) => `${p[2]}:${p[3]}`) ?? [];
      const want = ref.packets.map((p) => `${p[2]}:${p[3]}`);
      const prefix = got.every((p, i) => p === want[i]);
      const extra = want.length - got.length;
      if (!prefix || extra < 0 || extra > 4) problems.push(`${kind}: ${got.length} packets vs ffmpeg ${want.length}, prefix=${prefix}`);
    }
    const duration = Number(probe(out, "-show_entries", "format=duration").format.duration);
    console.log(
      `${problems.length ? "FAIL" : "ok  "} ${c.name}: real cut [${plan.start.toFixed(3)}, ${plan.end.toFixed(3)}) ` +
        `duration ${duration.toFixed(3)} s, ${statSync(out).size} B${problems.length ? `\n     ${problems.join("\n     ")}` : ""}`,
    );
    failures += problems.length ? 1 : 0;
  }
  return failures;
}

try {
  if (!process.argv.includes("--verify")) generate();
  const failures = await verify();
  if (failures) {
    console.error(`${failures} case(s) failed`);
    process.exitCode = 1;
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
