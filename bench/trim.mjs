// Trims of long 720p recordings with the ISO-BMFF cutter inside workerd (local R2), against a plain
// R2-to-R2 copy of the same number of bytes (the I/O floor) and `ffmpeg -c copy` on a local file;
// then the Worker isolate's live memory (after a full GC) during and at the end of a trim, read over
// workerd's own inspector.
// Needs ffmpeg/ffprobe on PATH (apt-get install ffmpeg). Media is generated under --dir (not
// committed): a 10-minute segment, concatenated without re-encoding into 60- and 180-minute files.
//   npm run bench:trim [-- --minutes 60,180 --start 125 --end 120 --part-mib 16 --read-mib 8 --dir /tmp/trim-bench --port 8799]
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileRangeReader, fileSink, loadCutter } from "../scripts/media/cutter.mjs";
import WebSocket from "ws";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "60,180" },
    dir: { type: "string", default: path.join(tmpdir(), "trim-bench") },
    port: { type: "string", default: "8799" },
    // Seconds cut at the start and at the end. The start is deliberately not on a keyframe (they
    // are every 10 s), so the cut lands up to one GOP early, as it will on real recordings.
    start: { type: "string", default: "125" },
    end: { type: "string", default: "120" },
    // Production trims with partSize = DOWNLOAD_PART_BYTES (16 MiB default) and the cutter's 8 MiB reads.
    "part-mib": { type: "string", default: "16" },
    "read-mib": { type: "string", default: "8" },
  },
});
const root = path.resolve(import.meta.dirname, "..");
const port = Number(args.port);
const inspectorPort = port + 1000;
const base = `http://127.0.0.1:${port}`;
const dir = args.dir;
const sizes = `&part=${Number(args["part-mib"]) * 2 ** 20}&read=${Number(args["read-mib"]) * 2 ** 20}`;

const sh = (cmd, argv) => execFileSync(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] }).toString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const withTimeout = (promise, ms, what) => {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out`)), ms)))]).finally(() => clearTimeout(timer));
};

function ensureMedia(minutes) {
  const file = path.join(dir, `rec${minutes}.mp4`);
  if (existsSync(file)) return file;
  execFileSync("mkdir", ["-p", dir]);
  const segment = path.join(dir, "seg10.mp4");
  if (!existsSync(segment)) {
    console.log("encoding a 10-minute 720p segment (a few minutes) …");
    sh("ffmpeg", ["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=32000",
      "-t", "600", "-c:v", "libx264", "-preset", "superfast", "-g", "300", "-keyint_min", "300", "-sc_threshold", "0", "-b:v", "400k", "-pix_fmt", "yuv420p",
      "-c:a", "aac", "-b:a", "64k", "-ac", "1", "-ar", "32000", segment]);
  }
  const list = path.join(dir, `list${minutes}.txt`);
  writeFileSync(list, `${"file 'seg10.mp4'\n".repeat(minutes / 10)}`);
  sh("ffmpeg", ["-v", "error", "-nostdin", "-y", "-f", "concat", "-safe", "0", "-i", list, "-c", "copy", file]);
  return file;
}

/**
 * The isolate's memory over workerd's own inspector (not wrangler's proxy): Runtime.getHeapUsage
 * gives usedSize (JS heap) and backingStorageSize (ArrayBuffer memory); live = both (MEDIA.md).
 * workerd never answers HeapProfiler.collectGarbage (V8 runs it as a task workerd does not pump),
 * so a reading after it may still count garbage. A heap snapshot is always preceded by a full GC
 * in V8, so `live()` takes one (the JS heap is ~1 MiB, so it costs ~20-30 ms) and reads after it;
 * `raw()` reads without collecting, for comparison.
 */
async function openInspector(timeoutMs = 10_000) {
  const socket = new WebSocket(`ws://127.0.0.1:${inspectorPort}/core:user:trim-bench`);
  await withTimeout(new Promise((resolve, reject) => (socket.once("open", resolve), socket.once("error", reject))), timeoutMs, "inspector connect");
  let nextId = 1;
  const waiting = new Map();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data));
    if (message.id !== undefined && waiting.has(message.id)) {
      waiting.get(message.id)(message);
      waiting.delete(message.id);
    }
  });
  const call = (method, params = {}) => {
    const id = nextId++;
    const answered = new Promise((resolve) => waiting.set(id, resolve));
    socket.send(JSON.stringify({ id, method, params }));
    return withTimeout(answered, timeoutMs, method);
  };
  const mib = (n) => (n ?? 0) / 2 ** 20;
  const usage = async () => {
    const { result } = await call("Runtime.getHeapUsage");
    return { heap: mib(result.usedSize), buffers: mib(result.backingStorageSize), live: mib(result.usedSize) + mib(result.backingStorageSize) };
  };
  await call("HeapProfiler.enable");
  return {
    raw: usage,
    async live() {
      await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      return usage();
    },
    close: () => socket.terminate(),
  };
}

/** Miniflare, as wrangler itself depends on it: workerd with a local R2 bucket and its own inspector. */
async function startWorker(state) {
  const fromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
  const { Miniflare } = await import(fromWrangler.resolve("miniflare"));
  const esbuild = fromWrangler("esbuild");
  const bundle = path.join(state, "worker.mjs");
  await esbuild.build({ entryPoints: [path.join(root, "bench/trim-worker/index.ts")], bundle: true, format: "esm", platform: "neutral", outfile: bundle, logLevel: "warning" });
  const mf = new Miniflare({
    name: "trim-bench", modules: true, modulesRoot: state, scriptPath: bundle,
    compatibilityDate: "2026-04-20", compatibilityFlags: ["nodejs_compat"],
    r2Buckets: ["MEDIA"], r2Persist: path.join(state, "r2"),
    host: "127.0.0.1", port, inspectorPort,
  });
  await mf.ready;
  return { stop: () => mf.dispose() };
}

function upload(file, key) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/object/${key}`, { method: "PUT", headers: { "content-length": statSync(file).size } }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`upload ${res.statusCode}`))));
    });
    req.on("error", reject);
    createReadStream(file).pipe(req);
  });
}

async function post(pathAndQuery, timeoutMs = 600_000) {
  const t0 = performance.now();
  const res = await withTimeout(fetch(`${base}${pathAndQuery}`, { method: "POST" }), timeoutMs, pathAndQuery);
  const body = await res.json();
  if (!res.ok) throw new Error(`${pathAndQuery}: ${res.status} ${JSON.stringify(body)}`);
  return { ...body, wallMs: performance.now() - t0 };
}

/**
 * A run that pauses twice: after its `midWrite`-th write (halfway through the copy) and just before
 * completing its upload, everything still referenced. At each pause, live memory is read after a
 * full GC; at the end also once without one (what an earlier version of this bench reported).
 * (The isolate does not answer other requests while it streams, so it cannot be sampled freely.)
 */
async function memoryOfRun(query, midWrite) {
  const inspector = await openInspector();
  try {
    const running = post(`${query}&pause=8000&mid=${midWrite}`);
    running.catch(() => undefined);
    let mid = null;
    for (let i = 0; i < 2400; i++) {
      const phase = await withTimeout(fetch(`${base}/phase`).then((r) => r.json()), 5000, "phase").then((r) => r.phase, () => "busy");
      if (phase === "paused-mid" && !mid) mid = await inspector.live();
      if (phase === "paused") {
        const beforeGc = await inspector.raw();
        const end = await inspector.live();
        await running;
        return { mid, end, beforeGc };
      }
      await sleep(200);
    }
    throw new Error("the run never paused");
  } finally {
    inspector.close();
  }
}

function ffmpegCut(file, start, end, out) {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", "ffmpeg", "-v", "error", "-nostdin", "-y", "-ss", String(start), "-to", String(end), "-i", file, "-c", "copy", out], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return { ms: performance.now() - t0, maxRssMiB: Number(r.stderr.trim().split("\n").pop()) / 1024 };
}

/**
 * Checks the Worker's output: its SHA-256 must equal the same cutter run in Node on the local file
 * (scripts/media/cutter.mjs), and that local copy is checked with ffprobe/ffmpeg against ffmpeg's
 * own cut of the range (packets), plus a spot decode.
 */
async function check(key, file, start, end, reference, out) {
  const remote = await withTimeout(fetch(`${base}/sha256/${key}`).then((r) => r.json()), 120_000, "sha256");
  const cutter = await loadCutter();
  const source = await fileRangeReader(file);
  await cutter.writeCut(cutter.planCut(await cutter.readMovie(source), { start, end }), source, await fileSink(out));
  await source.handle.close();
  const local = createHash("sha256").update(readFileSync(out)).digest("hex");
  const probe = JSON.parse(sh("ffprobe", ["-v", "error", "-of", "json", "-show_entries", "stream=codec_type,start_time:format=duration", out]));
  // ffmpeg's audio pre-roll is ~1 s or up to a GOP (see below); identical packets are compared from where both have them.
  const packets = (f) => {
    const r = spawnSync("ffmpeg", ["-v", "error", "-nostdin", "-i", f, "-map", "0", "-c", "copy", "-f", "framemd5", "-"], { encoding: "utf8", maxBuffer: 1 << 30 });
    const byStream = { 0: [], 1: [] };
    for (const line of r.stdout.split("\n")) if (line && !line.startsWith("#")) byStream[line[0]]?.push(line.split(",").slice(4, 6).map((f) => f.trim()).join(","));
    return byStream;
  };
  const [ours, theirs] = [packets(out), packets(reference)];
  // Video: identical, ffmpeg keeps up to a few more packets at the end.
  const videoSame = ours[0].length <= theirs[0].length && theirs[0].length - ours[0].length <= 4 && ours[0].every((p, i) => p === theirs[0][i]);
  // Audio: ffmpeg's pre-roll before -ss is a heuristic (sometimes from the keyframe's decode time,
  // like ours, sometimes about 1 s before -ss); the packets after it must be the same run as ours.
  const head = ours[1].indexOf(theirs[1][0]);
  const overlap = Math.min(ours[1].length - head, theirs[1].length);
  const audioRunSame = head >= 0 && ours[1].slice(head, head + overlap).every((p, i) => p === theirs[1][i]);
  const audio = { sameRun: audioRunSame, ourExtraPreroll: head, ffmpegExtraTail: theirs[1].length - overlap, ourExtraTail: ours[1].length - head - overlap };
  const spot = spawnSync("ffmpeg", ["-v", "error", "-nostdin", "-ss", "1800", "-t", "20", "-i", out, "-f", "null", "-"], { encoding: "utf8" });
  return {
    workerdEqualsNode: remote.sha256 === local,
    duration: Number(probe.format.duration),
    startTimes: probe.streams.map((s) => `${s.codec_type}=${s.start_time}`).join(" "),
    packets: `${ours[0].length}+${ours[1].length} (ffmpeg ${theirs[0].length}+${theirs[1].length})`,
    videoSameAsFfmpeg: videoSame,
    audio,
    spotDecodeClean: spot.status === 0 && !spot.stderr.trim(),
  };
}

const state = mkdtempSync(path.join(tmpdir(), "trim-bench-state-"));
const work = mkdtempSync(path.join(tmpdir(), "trim-bench-out-"));
const worker = await startWorker(state);
const rows = [];
const fmt = (m) => (m && "live" in m ? `${m.live.toFixed(1)} MiB (heap ${m.heap.toFixed(1)} + buffers ${m.buffers.toFixed(1)})` : JSON.stringify(m));
try {
  const idle = await openInspector().then(async (i) => {
    const usage = await i.live();
    i.close();
    return usage;
  });
  for (const minutes of args.minutes.split(",").map(Number)) {
    const file = ensureMedia(minutes);
    const size = statSync(file).size;
    const [start, end] = [Number(args.start), minutes * 60 - Number(args.end)];
    console.log(`${minutes} min: uploading ${(size / 2 ** 20).toFixed(0)} MiB to local R2 …`);
    await upload(file, `rec${minutes}.mp4`);
    const trimQuery = (dst) => `/trim?src=rec${minutes}.mp4&dst=${dst}&start=${start}&end=${end}${sizes}`;
    const trim = await post(trimQuery(`out${minutes}.mp4`));
    const copyQuery = (dst) => `/copy?src=rec${minutes}.mp4&dst=${dst}&bytes=${trim.size}${sizes}`;
    const copy = await post(copyQuery(`copy${minutes}.mp4`));
    const trimMemory = await memoryOfRun(trimQuery(`mem${minutes}.mp4`), Math.ceil(trim.reads / 2));
    const copyMemory = await memoryOfRun(copyQuery(`memcopy${minutes}.mp4`), Math.ceil(trim.reads / 2));
    const reference = path.join(work, `ffmpeg${minutes}.mp4`);
    const ffmpeg = ffmpegCut(file, start, end, reference);
    console.log(`${minutes} min: trim ${trim.wallMs.toFixed(0)} ms, copy ${copy.wallMs.toFixed(0)} ms, ffmpeg ${ffmpeg.ms.toFixed(0)} ms; memory at the end ${fmt(trimMemory.end)}; checking …`);
    const verdict = await check(`out${minutes}.mp4`, file, start, end, reference, path.join(work, `ours${minutes}.mp4`));
    const row = {
      minutes, inputMiB: size / 2 ** 20, outputMiB: trim.size / 2 ** 20, moovMiB: trim.moovBytes / 2 ** 20,
      trimWallS: trim.wallMs / 1000, trimPlanMs: trim.planMs, reads: trim.reads, parts: trim.parts,
      copyWallS: copy.wallMs / 1000, ffmpegS: ffmpeg.ms / 1000, ffmpegMaxRssMiB: ffmpeg.maxRssMiB,
      trimMemory, copyMemory, realCut: [trim.start, trim.end], ...verdict,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    rmSync(path.join(work, `ours${minutes}.mp4`), { force: true });
    rmSync(reference, { force: true });
  }
  console.log(`\nisolate live memory when idle: ${fmt(idle)}\n`);
  console.log(`parts ${args["part-mib"]} MiB, reads ${args["read-mib"]} MiB; live memory = JS heap + ArrayBuffers after a full GC\n`);
  console.log("| length | input → output | moov | trim in workerd | R2 copy of the same bytes | ffmpeg -c copy, local file | trim: live at the end | trim: live halfway | trim at the end without a GC | R2 copy: live at the end |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.minutes} min | ${r.inputMiB.toFixed(0)} → ${r.outputMiB.toFixed(0)} MiB | ${r.moovMiB.toFixed(2)} MiB | ${r.trimWallS.toFixed(2)} s (plan ${r.trimPlanMs} ms, ${r.reads} GETs, ${r.parts} parts) ` +
        `| ${r.copyWallS.toFixed(2)} s | ${r.ffmpegS.toFixed(2)} s (max RSS ${r.ffmpegMaxRssMiB.toFixed(0)} MiB) | ${fmt(r.trimMemory.end)} | ${fmt(r.trimMemory.mid)} | ${fmt(r.trimMemory.beforeGc)} | ${fmt(r.copyMemory.end)} |`,
    );
  }
  for (const r of rows) console.log(`${r.minutes} min check: ${JSON.stringify({ workerdEqualsNode: r.workerdEqualsNode, startTimes: r.startTimes, duration: r.duration, packets: r.packets, videoSameAsFfmpeg: r.videoSameAsFfmpeg, audio: r.audio, spotDecodeClean: r.spotDecodeClean })}`);
  const out = path.join(root, "bench/results");
  execFileSync("mkdir", ["-p", out]);
  writeFileSync(path.join(out, `trim-${Date.now()}.json`), JSON.stringify(rows, null, 2));
} finally {
  await worker.stop();
  rmSync(state, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
