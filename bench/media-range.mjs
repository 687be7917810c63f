// Signed media route with ranges: a large object (default 1 GiB) read back through
// GET /api/v1/recordings/{id}/media/original → 302 → GET /api/v1/media/{token} of a local `wrangler dev`.
//   1. uploads the file through the resumable upload API (16 MiB parts); its bytes are an AES-128-CTR
//      keystream (deterministic, incompressible, any range recomputable) behind a 12-byte `ftyp` header;
//   2. reads the whole file once, pausing at 25/50/75 % (the response is not consumed meanwhile) to
//      read the Worker isolate's live memory, and again at 100 %; SHA-256 of what was read vs uploaded;
//   3. random Range reads, one at a time: `--ranges` × `--range-mib` at random offsets, the same number
//      of 1-byte ranges (the route's fixed cost: token, D1 row, R2 head, one ranged get), GET /health
//      (the reference), all interleaved in random order; then suffix ranges (`bytes=-n`) and open-ended
//      ones (`bytes=a-`, near the end); every answer's bytes compared with the generator;
//   4. the same `--range-mib` ranges at `--concurrency` in flight, against the whole-file read's MiB/s;
//   5. the isolate's live memory again after the range reads.
// Memory: as bench/upload-memory.mjs (bench/isolate-heap.mjs over wrangler's inspector proxy: a GC is
// requested, not confirmed), and after a heap snapshot over the same socket (V8 always runs a full GC
// first, see the Trim section of bench/README.md); plus VmRSS of the workerd processes.
// Usage: npm run bench:media [-- --size-mib 1024 --part-mib 16 --ranges 200 --range-mib 1 --concurrency 4]
import { execFileSync } from "node:child_process";
import { createCipheriv, createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import WebSocket from "ws";
import { startDevServer } from "./dev-server.mjs";
import { isolateLiveMiB } from "./isolate-heap.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const MiB = 1024 * 1024;
const size = Number(args["size-mib"] ?? 1024) * MiB;
const partSize = Number(args["part-mib"] ?? 16) * MiB;
const rangeCount = Number(args.ranges ?? 200);
const rangeBytes = Math.round(Number(args["range-mib"] ?? 1) * MiB);
const concurrency = Number(args.concurrency ?? 4);
const PORT = 8796;
const INSPECTOR_PORT = PORT + 1000; // dev-server.mjs puts wrangler's inspector proxy at port + 1000
const VARS = { RATE_LIMIT_API_PER_MINUTE: "100000", RATE_LIMIT_AUTH_PER_WINDOW: "1000", LOG_LEVEL: "warn" };
const json = { "content-type": "application/json" };
const password = "Bench-Pass-2026";

// ---- the file: AES-128-CTR keystream (block n = counter n) with an ISO-BMFF `ftyp` header on top
const KEY = Buffer.alloc(16, 0x5a);
const HEADER = Buffer.from([0, 0, 0, 0x18, ...Buffer.from("ftypisom"), 0, 0, 2, 0]);
function bytesAt(offset, length) {
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(Math.floor(offset / 16)), 8);
  const skip = offset % 16;
  const out = createCipheriv("aes-128-ctr", KEY, iv).update(Buffer.alloc(skip + length)).subarray(skip);
  if (offset < HEADER.length) HEADER.subarray(offset, Math.min(HEADER.length, offset + length)).copy(out, 0);
  return out;
}

// ---- deterministic random offsets (mulberry32)
let seed = Number(args.seed ?? 20261204) >>> 0;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const randomOffset = (length) => Math.floor(random() * (size - length + 1));

// ---- processes and memory
/** [proxy, user] workerd PIDs under wrangler: the proxy is the one listening on the bench's port. */
function workerds(pid) {
  const rows = execFileSync("ps", ["-e", "-o", "pid=,ppid=,args="], { encoding: "utf8" }).trim().split("\n").map((l) => l.trim().split(/\s+/));
  const found = [];
  const walk = (p) => rows.filter((r) => r[1] === String(p)).forEach((r) => (found.push(r), walk(r[0])));
  walk(pid);
  const w = found.filter((r) => r[2].endsWith("workerd"));
  const isProxy = (r) => r.some((a) => a === `--socket-addr=entry=127.0.0.1:${PORT}`);
  return [...w.filter(isProxy), ...w.filter((r) => !isProxy(r))].map((r) => Number(r[0]));
}
const rssMiB = (pid) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};

/** Live memory after a heap snapshot (a full GC first, always) over wrangler's inspector proxy; NaN if it does not answer. */
async function liveAfterSnapshot(timeoutMs = 20_000) {
  const socket = new WebSocket(`ws://127.0.0.1:${INSPECTOR_PORT}/ws`);
  let timer;
  try {
    return await Promise.race([
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("inspector timed out")), timeoutMs))),
      (async () => {
        await new Promise((resolve, reject) => (socket.once("open", resolve), socket.once("error", reject)));
        let next = 1;
        const waiting = new Map();
        socket.on("message", (data) => {
          const m = JSON.parse(String(data));
          if (m.id !== undefined && waiting.has(m.id)) (waiting.get(m.id)(m), waiting.delete(m.id));
        });
        const call = (method, params = {}) => {
          const id = next++;
          const answered = new Promise((resolve) => waiting.set(id, resolve));
          socket.send(JSON.stringify({ id, method, params }));
          return answered;
        };
        await call("HeapProfiler.enable");
        await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
        const { result } = await call("Runtime.getHeapUsage");
        return { heap: (result.usedSize ?? 0) / MiB, live: ((result.usedSize ?? 0) + (result.backingStorageSize ?? 0)) / MiB };
      })(),
    ]);
  } catch {
    return { heap: NaN, live: NaN };
  } finally {
    clearTimeout(timer);
    socket.terminate();
  }
}

let server;
const memory = [];
async function sampleMemory(label) {
  const requested = await isolateLiveMiB(INSPECTOR_PORT).catch(() => NaN); // the upload-memory.mjs way
  const snap = await liveAfterSnapshot();
  const pids = workerds(server.pid);
  memory.push({ label, requested, snapLive: snap.live, snapHeap: snap.heap, rss: pids.map(rssMiB), user: pids[1] });
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const stats = (ms) => {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s.at(-1), mean: s.reduce((a, b) => a + b, 0) / s.length };
};
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : "n/a");

server = await startDevServer({ port: PORT, vars: VARS, frozenAssets: true });
try {
  const email = `media-bench-${Date.now()}@example.test`;
  await fetch(`${server.baseUrl}/api/v1/auth/register`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
  const login = await (await fetch(`${server.baseUrl}/api/v1/auth/login`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) })).json();
  if (!login.access_token) throw new Error(`login failed: ${JSON.stringify(login)}`);
  const auth = { authorization: `Bearer ${login.access_token}` };
  console.log(`file ${size / MiB} MiB (${size} bytes), ${partSize / MiB} MiB parts; ${rangeCount} × ${rangeBytes} B ranges; concurrency ${concurrency}\n`);

  // 1. upload
  const uploadHash = createHash("sha256");
  let started = performance.now();
  const session = await (
    await fetch(`${server.baseUrl}/api/v1/recordings/uploads`, {
      method: "POST",
      headers: { ...json, ...auth },
      body: JSON.stringify({ display_name: `Media range bench ${size / MiB} MiB`, size, content_type: "video/mp4", part_size: partSize }),
    })
  ).json();
  if (!session.id) throw new Error(`upload session: ${JSON.stringify(session)}`);
  for (let n = 1; n <= session.part_count; n++) {
    const offset = (n - 1) * partSize;
    const body = bytesAt(offset, Math.min(partSize, size - offset));
    uploadHash.update(body);
    const r = await fetch(`${server.baseUrl}/api/v1/recordings/uploads/${session.id}/parts/${n}`, {
      method: "PUT",
      headers: { ...auth, "content-type": "application/octet-stream" },
      body,
    });
    if (!r.ok) throw new Error(`part ${n}: ${r.status} ${await r.text()}`);
  }
  const recording = await (await fetch(`${server.baseUrl}/api/v1/recordings/uploads/${session.id}/complete`, { method: "POST", headers: auth })).json();
  if (recording.video_file_size !== size) throw new Error(`complete: ${JSON.stringify(recording)}`);
  const uploadSeconds = (performance.now() - started) / 1000;
  const uploadSha = uploadHash.digest("hex");
  console.log(`uploaded in ${uploadSeconds.toFixed(1)} s (${(size / MiB / uploadSeconds).toFixed(1)} MiB/s), recording ${recording.id}, sha256 ${uploadSha.slice(0, 16)}…`);
  // Whatever the pipeline does with a fresh upload (it is not a real MP4) settles first.
  await new Promise((r) => setTimeout(r, 5000));
  await sampleMemory("before the read");

  /** A fresh signed URL (the token lives MEDIA_URL_TTL_SECONDS); returns the redirect's latency too. */
  const signedUrl = async () => {
    const t = performance.now();
    const r = await fetch(`${server.baseUrl}/api/v1/recordings/${recording.id}/media/original`, { headers: auth, redirect: "manual" });
    const ms = performance.now() - t;
    await r.arrayBuffer();
    if (r.status !== 302 || !r.headers.get("location")) throw new Error(`media redirect: ${r.status}`);
    return { url: r.headers.get("location"), ms };
  };

  // 2. whole file, paused at each quarter for a memory reading
  const first = await signedUrl();
  const readHash = createHash("sha256");
  let read = 0;
  let paused = 0;
  let quarter = 1;
  let ttfb = NaN;
  const interruptions = [];
  const peakRss = workerds(server.pid).map(rssMiB);
  const rssSampler = setInterval(() => workerds(server.pid).forEach((pid, i) => (peakRss[i] = Math.max(peakRss[i] ?? 0, rssMiB(pid)))), 200);
  started = performance.now();
  // If the connection breaks mid-body, it is reported and the read resumes with `Range: bytes=<read>-`
  // (at most 3 times), so the hash still covers every byte once.
  while (read < size) {
    const resumed = read > 0;
    const response = await fetch(first.url, resumed ? { headers: { range: `bytes=${read}-` } } : {});
    if (!resumed) ttfb = performance.now() - started;
    const expected = size - read;
    if (response.status !== (resumed ? 206 : 200) || Number(response.headers.get("content-length")) !== expected) {
      throw new Error(`full read from ${read}: ${response.status} content-length ${response.headers.get("content-length")}`);
    }
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        readHash.update(value);
        read += value.length;
        while (quarter < 4 && read >= (quarter * size) / 4) {
          const p = performance.now();
          await sampleMemory(`${quarter * 25} % of the read (response paused)`);
          paused += performance.now() - p;
          quarter++;
        }
      }
    } catch (error) {
      interruptions.push(`${(read / MiB).toFixed(1)} MiB: ${error.cause?.message ?? error.message}`);
      console.log(`  whole-file read broke at ${read} bytes (${error.cause?.message ?? error.message}); resuming with a Range`);
      if (interruptions.length > 3) throw error;
    }
  }
  const fullMs = performance.now() - started - paused;
  clearInterval(rssSampler);
  await sampleMemory("100 % of the read (response done)");
  const readSha = readHash.digest("hex");
  const fullMiBs = size / MiB / (fullMs / 1000);
  console.log(
    `whole file: ${read} bytes in ${(fullMs / 1000).toFixed(1)} s${interruptions.length ? ` (connection broke ${interruptions.length}× at ${interruptions.join(", ")}; resumed by Range)` : ""} (${fullMiBs.toFixed(1)} MiB/s, first byte ${ttfb.toFixed(0)} ms, ${(paused / 1000).toFixed(1)} s paused for readings excluded); sha256 ${readSha === uploadSha ? "equal to the upload's" : `DIFFERENT: ${readSha}`}`,
  );

  // 3. interleaved sequential reads: 1 MiB ranges, 1-byte ranges, /health
  const { url, ms: redirectMs } = await signedUrl();
  const redirects = [redirectMs];
  let mismatches = 0;
  let boundaryCrossings = 0;
  const ranged = async (rangeHeader, start, end) => {
    const t = performance.now();
    const r = await fetch(url, { headers: { range: rangeHeader } });
    const body = Buffer.from(await r.arrayBuffer());
    const ms = performance.now() - t;
    const ok = r.status === 206 && r.headers.get("content-range") === `bytes ${start}-${end}/${size}` && body.equals(bytesAt(start, end - start + 1));
    if (!ok) {
      mismatches++;
      if (mismatches <= 3) console.log(`  range ${rangeHeader}: ${r.status} ${r.headers.get("content-range")} ${body.length} bytes — wrong`);
    }
    return { ms, bytes: body.length };
  };
  const health = async () => {
    const t = performance.now();
    const r = await fetch(`${server.baseUrl}/api/v1/health`);
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`/health ${r.status}`);
    return performance.now() - t;
  };
  // warm-up: a few of each
  for (let i = 0; i < 10; i++) {
    await health();
    await ranged(`bytes=${i}-${i}`, i, i);
  }
  mismatches = 0;
  const timings = { big: [], one: [], health: [], suffix: [], open: [] };
  const rounds = [];
  for (let i = 0; i < rangeCount; i++) for (const kind of ["big", "one", "health"]) rounds.push(kind);
  for (let i = rounds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rounds[i], rounds[j]] = [rounds[j], rounds[i]];
  }
  let rangeBytesRead = 0;
  let bigMsTotal = 0;
  for (const kind of rounds) {
    if (kind === "health") timings.health.push(await health());
    else {
      const length = kind === "big" ? rangeBytes : 1;
      const start = randomOffset(length);
      const end = start + length - 1;
      if (kind === "big" && Math.floor(start / partSize) !== Math.floor(end / partSize)) boundaryCrossings++;
      const r = await ranged(`bytes=${start}-${end}`, start, end);
      timings[kind].push(r.ms);
      if (kind === "big") ((rangeBytesRead += r.bytes), (bigMsTotal += r.ms));
    }
  }
  const suffixLengths = [1, 1000, 65_536, rangeBytes, rangeBytes, 2 * rangeBytes];
  for (let i = 0; i < 20; i++) {
    const n = suffixLengths[i % suffixLengths.length];
    timings.suffix.push((await ranged(`bytes=-${n}`, size - n, size - 1)).ms);
    const start = size - 1 - Math.floor(random() * rangeBytes);
    timings.open.push((await ranged(`bytes=${start}-`, start, size - 1)).ms);
  }
  for (let i = 0; i < 19; i++) redirects.push((await signedUrl()).ms);

  // 4. the same size of ranges, `concurrency` in flight
  const concurrentStart = performance.now();
  let concurrentBytes = 0;
  let issued = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < rangeCount) {
        issued++;
        const start = randomOffset(rangeBytes);
        concurrentBytes += (await ranged(`bytes=${start}-${start + rangeBytes - 1}`, start, start + rangeBytes - 1)).bytes;
      }
    }),
  );
  const concurrentMs = performance.now() - concurrentStart;

  // 5. memory after the range reads
  await sampleMemory("after the range reads");

  // ---- report
  const h = stats(timings.health);
  console.log(`\nsequential requests (one at a time, interleaved in random order), ms; ratio = p95 / p95 of GET /api/v1/health in the same run:\n`);
  console.log("request                                        n     p50     p95     p99     max    p95 / health");
  const row = (name, t) => {
    const s = stats(t);
    console.log(`${name.padEnd(44)} ${String(s.n).padStart(4)} ${f1(s.p50).padStart(7)} ${f1(s.p95).padStart(7)} ${f1(s.p99).padStart(7)} ${f1(s.max).padStart(7)} ${`${(s.p95 / h.p95).toFixed(2)}×`.padStart(14)}`);
  };
  row("GET /api/v1/health (reference)", timings.health);
  row(`Range ${rangeBytes / MiB} MiB at a random offset`, timings.big);
  row("Range of 1 byte at a random offset", timings.one);
  row("suffix bytes=-n (n = 1 B … 2 MiB)", timings.suffix);
  row("open-ended bytes=a- (last ≤ 1 MiB)", timings.open);
  row("GET /recordings/{id}/media/original → 302", redirects);
  const seqMiBs = rangeBytesRead / MiB / (bigMsTotal / 1000);
  const concMiBs = concurrentBytes / MiB / (concurrentMs / 1000);
  console.log(`\nthroughput (MiB/s; ratio to the whole-file read of the same run):`);
  console.log(`  whole file, one request                         ${fullMiBs.toFixed(1).padStart(7)}   1.00×`);
  console.log(`  ${rangeCount} × ${rangeBytes / MiB} MiB ranges, one at a time             ${seqMiBs.toFixed(1).padStart(7)}   ${(seqMiBs / fullMiBs).toFixed(2)}×  (${boundaryCrossings} crossed a ${partSize / MiB} MiB part boundary)`);
  console.log(`  ${rangeCount} × ${rangeBytes / MiB} MiB ranges, ${concurrency} in flight             ${concMiBs.toFixed(1).padStart(7)}   ${(concMiBs / fullMiBs).toFixed(2)}×`);
  console.log(`  1 MiB range p50 minus 1-byte range p50: ${f1(stats(timings.big).p50 - stats(timings.one).p50)} ms of transfer per MiB`);
  console.log(
    `\ncorrectness: whole file sha256 ${readSha === uploadSha ? "= upload's" : "≠ upload's"} (${uploadSha}); ` +
      `${timings.big.length + timings.one.length + timings.suffix.length + timings.open.length + rangeCount} ranged answers, ${mismatches} wrong (status, Content-Range or bytes)`,
  );
  console.log(`\nmemory (MiB): isolate live = JS heap + ArrayBuffer backing stores; RSS of the workerd processes (proxy / user)\n`);
  console.log("moment                                     live, GC requested   live after snapshot GC (heap)   workerd RSS");
  for (const m of memory) {
    console.log(`${m.label.padEnd(42)} ${f1(m.requested).padStart(18)}   ${`${f1(m.snapLive)} (${f1(m.snapHeap)})`.padStart(29)}   ${m.rss.map((x) => x.toFixed(0)).join(" / ")}`);
  }
  console.log(`peak workerd RSS during the whole-file read: ${peakRss.map((x) => x.toFixed(0)).join(" / ")}`);
  const restarts = memory.filter((m, i) => i > 0 && m.user !== memory[i - 1].user).map((m) => m.label);
  console.log(restarts.length ? `the user workerd was replaced (a reload) before: ${restarts.join("; ")}` : "the user workerd process stayed the same throughout");
  if (readSha !== uploadSha || mismatches) process.exitCode = 1;
} finally {
  await server.stop();
}
