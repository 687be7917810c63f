// Download-stage throughput benchmark: a 100 MiB, then a 1 GiB and then another 1 GiB Zoom
// recording copied one after the other (the free plan runs one download per user at a time) from a
// local fake Zoom (bench/fake-zoom-server.mjs, real HTTP) by the Worker into local R2.
// Reports MiB/s from the POST …/download to the recording's DOWNLOADED status, the resident memory
// (/proc/<pid>/status VmHWM and sampled VmRSS) and open file descriptors of every process of the
// dev server (wrangler's node, its two workerd), a plain `curl` of the same files from the same
// fake for comparison, and checks each stored R2 object byte for byte (SHA-256) against the fake.
//
// Two ways to run the Worker (--mode api|cli|both, default api):
//   cli  `wrangler dev` as the other benches start it (bench/dev-server.mjs). wrangler's inspector
//        proxy enables the DevTools Network domain in the Worker and forwards every DevTools event
//        (one per ~30 KiB received by a subrequest) to wrangler's node over a new loopback HTTP
//        request, and buffers it until a DevTools client attaches: the proxy workerd reaches its
//        open-file limit within the first ~100 MiB, so this mode measures wrangler, not the Worker
//        (the run is abandoned when a process nears its limit; see bench/README.md).
//   api  the same dev server (wrangler's startWorker: proxy workerd + user workerd, same local
//        R2/D1/queues) with the inspector off (`dev.inspector: false`, no CLI flag for it) and no
//        file watching: the Worker's own cost.
//
// Usage: npm run bench:download  [-- --mode api|cli|both --small-mib 100 --big-mib 1024 --no-repeat
//                                    --part-mib 16 --parts-per-message 4 --no-verify --ref HEAD --timeout-min 15]
//   --ref <git ref>: run a clean export of that commit (git archive into a temp directory) instead of
//   the working tree, so edits made meanwhile neither reload the dev server nor change what is measured.
import { execFile, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { exampleSecrets, startDevServer, wrangler } from "./dev-server.mjs";
import { ACCOUNT, DOWNLOAD_TOKEN, startFakeZoom } from "./fake-zoom-server.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]?.startsWith("--") ? "true" : all[i + 1] ?? "true"]] : pairs), []),
);
const MiB = 1024 * 1024;
const PORTS = { cli: 8792, api: 8791 };
const REFERENCE_PORT = 8789;
const BUCKET = "lecture-publisher-media";
const WRANGLER_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const run = promisify(execFile);

// ---- child mode: the dev server through wrangler's API, inspector off (spawned by `--mode api`) ----
if (args["serve-worker"]) {
  const { port, state, vars, config = "wrangler.toml" } = JSON.parse(args["serve-worker"]);
  Object.assign(process.env, WRANGLER_ENV);
  if (config === "wrangler.toml") await wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  const { unstable_startWorker } = await import(path.resolve("node_modules/wrangler/wrangler-dist/cli.js"));
  const worker = await unstable_startWorker({
    config,
    bindings: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { type: "plain_text", value: v }])),
    dev: { inspector: false, watch: false, liveReload: false, persist: state, server: { hostname: "127.0.0.1", port }, logLevel: "warn" },
  });
  await worker.ready;
  process.stdout.write("ready\n");
  let stopping = null;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.race([worker.dispose(), sleep(5000)]);
      process.exit(0);
    })());
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop(), 1000); // stay up until stopped, or the bench is gone
} else {
  await main();
}

/** Same shape as startDevServer: {baseUrl, pid, state, stop}; the child and its workerd share one process group. */
async function startApiDevServer({ port, vars, track, config }) {
  const state = mkdtempSync(path.join(tmpdir(), "bench-state-"));
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--serve-worker", JSON.stringify({ port, state, vars, config })], {
    env: { ...process.env, ...WRANGLER_ENV },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  track(child.pid, state);
  let exited = null;
  child.once("exit", (code) => (exited = code ?? -1));
  const ready = new Promise((resolve) => child.stdout.on("data", (d) => String(d).includes("ready") && resolve()));
  const stop = async () => {
    if (exited === null) {
      const gone = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // gone
      }
      await Promise.race([gone, sleep(8000)]);
    }
    await sleep(300);
    try {
      process.kill(-child.pid, "SIGKILL"); // anything left in the group
    } catch {
      // gone
    }
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the startWorker child exited (${exited}) before serving; is port ${port} in use?`);
    if (await Promise.race([ready.then(() => true), sleep(250).then(() => false)])) break;
  }
  if (exited === null && Date.now() >= deadline) {
    await stop();
    throw new Error("the startWorker child did not get ready in 90 s");
  }
  return { baseUrl: `http://127.0.0.1:${port}`, pid: child.pid, state, stop };
}

async function main() {
  const HARD_TIMEOUT_MS = Number(args["timeout-min"] ?? 15) * 60_000;
  const DOWNLOAD_TIMEOUT_MS = 8 * 60_000;
  const modes = (args.mode ?? "api") === "both" ? ["api", "cli"] : [args.mode ?? "api"];
  if (!modes.every((m) => m in PORTS)) throw new Error(`--mode must be cli, api or both, not ${args.mode}`);
  // The big file twice: a process that merely warms up levels off; one that leaks keeps growing.
  const sizesMiB = [Number(args["small-mib"] ?? 100), Number(args["big-mib"] ?? 1024), ...(args["no-repeat"] ? [] : [Number(args["big-mib"] ?? 1024)])];
  const partBytes = args["part-mib"] ? Number(args["part-mib"]) * MiB : 16 * MiB; // DOWNLOAD_PART_BYTES default
  const partsPerMessage = Number(args["parts-per-message"] ?? 4); // DOWNLOAD_PARTS_PER_MESSAGE default
  const verify = args["no-verify"] === undefined;
  const json = { "content-type": "application/json" };
  const label = (mib) => (mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`);
  const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : "–");
  const f0 = (n) => (Number.isFinite(n) ? n.toFixed(0) : "–");

  // ---- cleanup: everything this script started, by PID / process group ------------------------
  let server = null;
  let zoom = null;
  let snapshot = null; // the temp directory of --ref
  const children = new Set(); // process-group leaders we spawned (curl, the R2 read-back, the api dev server)
  const states = new Set(); // state directories of dev servers being started
  let cleaning = null;
  const killGroup = (pid) => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const stopServer = async () => {
    const s = server;
    server = null;
    if (!s) return;
    await s.stop().catch((e) => console.error(`stopping the dev server: ${e.message}`));
    rmSync(s.state, { recursive: true, force: true });
  };
  /** Our own detached children (group leaders whose parent is this process), e.g. a `wrangler dev` still starting. */
  const ownGroups = () =>
    readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .map((d) => ({ pid: Number(d), ...procStat(d) }))
      .filter((p) => p.ppid === process.pid && p.pgrp === p.pid)
      .map((p) => p.pid);
  const cleanup = () =>
    (cleaning ??= (async () => {
      await stopServer();
      for (const pid of [...children, ...ownGroups()]) killGroup(pid);
      await sleep(300);
      for (const dir of states) rmSync(dir, { recursive: true, force: true });
      if (zoom) await zoom.close().catch(() => undefined);
      if (snapshot) rmSync(snapshot, { recursive: true, force: true });
    })());
  const hardTimer = setTimeout(async () => {
    console.error(`\nbench:download: hard timeout after ${HARD_TIMEOUT_MS / 60_000} min; stopping everything`);
    await Promise.race([cleanup(), sleep(15_000)]);
    process.exit(2);
  }, HARD_TIMEOUT_MS);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      await Promise.race([cleanup(), sleep(15_000)]);
      process.exit(130);
    });
  }

  // ---- /proc -----------------------------------------------------------------------------------
  const procStat = (pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return { ppid: Number(rest[1]), pgrp: Number(rest[2]) };
    } catch {
      return null;
    }
  };
  /** Every live process of the dev server: its process group plus any descendant that left it. */
  const serverProcesses = (leader) => {
    const all = readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .map((d) => ({ pid: Number(d), ...procStat(d) }))
      .filter((p) => p.ppid !== undefined);
    const found = new Map(all.filter((p) => p.pgrp === leader || p.pid === leader).map((p) => [p.pid, p]));
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of all) if (!found.has(p.pid) && found.has(p.ppid)) (found.set(p.pid, p), (grew = true));
    }
    return [...found.keys()]
      .sort((a, b) => a - b)
      .map((pid) => {
        let comm = "?";
        let cmd = "";
        try {
          comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
          cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
        } catch {
          // exited meanwhile
        }
        return { pid, comm, cmd };
      })
      .filter((p) => p.cmd !== "");
  };
  const memory = (pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
      return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
    } catch {
      return null;
    }
  };
  const openFds = (pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).length;
    } catch {
      return 0;
    }
  };
  const fdLimit = (pid) => {
    try {
      return Number(/Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, "utf8"))?.[1] ?? Infinity);
    } catch {
      return Infinity;
    }
  };
  const isWorkerd = (p) => p.comm.startsWith("workerd");
  /** The proxy workerd owns the public port (entry=127.0.0.1:PORT); the user worker's listens on :0. */
  const role = (p, port) =>
    isWorkerd(p) ? (p.cmd.includes(`entry=127.0.0.1:${port} `) ? "workerd (proxy)" : "workerd (user worker)") : p.comm === "node" && p.cmd.includes("wrangler-dist") ? "node (wrangler)" : p.comm;

  // ---- helpers -----------------------------------------------------------------------------------
  const api = async (method, url, { token, body, expect = [200, 201] } = {}) => {
    const response = await fetch(`${server.baseUrl}${url}`, {
      signal: AbortSignal.timeout(30_000),
      method,
      headers: { ...json, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expect.includes(response.status)) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  };
  const curlSpeed = async (url, output = "/dev/null") => {
    // Spawned asynchronously in its own group: the fake it reads from lives in this process.
    const child = spawn("curl", ["-s", "-L", "-H", `Authorization: Bearer ${DOWNLOAD_TOKEN}`, "-o", output, "-w", "%{speed_download} %{size_download} %{time_total}", url], {
      detached: true,
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.add(child.pid);
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const code = await new Promise((r) => child.once("exit", r));
    children.delete(child.pid);
    if (code !== 0) throw new Error(`curl exited ${code}`);
    const [speed, size, seconds] = out.trim().split(" ").map(Number);
    return { mibps: speed / MiB, size, seconds, tool: "curl" };
  };
  const fetchSpeed = async (url) => {
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${DOWNLOAD_TOKEN}` } });
    let size = 0;
    for await (const chunk of response.body) size += chunk.length;
    const seconds = (performance.now() - started) / 1000;
    return { mibps: size / MiB / seconds, size, seconds, tool: "node fetch (no curl)" };
  };
  /** SHA-256 of a stored object, read back from the local R2 state with `wrangler r2 object get --local --pipe`. */
  const storedSha256 = async (state, key) => {
    const child = spawn("node", ["node_modules/wrangler/bin/wrangler.js", "r2", "object", "get", `${BUCKET}/${key}`, "--local", "--persist-to", state, "--pipe"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...WRANGLER_ENV },
    });
    children.add(child.pid);
    const hash = createHash("sha256");
    let bytes = 0;
    let stderr = "";
    child.stdout.on("data", (d) => (hash.update(d), (bytes += d.length)));
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise((r) => child.once("exit", r));
    await sleep(200);
    killGroup(child.pid); // any workerd it left behind
    children.delete(child.pid);
    if (code !== 0) throw new Error(`wrangler r2 object get exited ${code}: ${stderr.slice(-500)}`);
    return { sha256: hash.digest("hex"), bytes };
  };
  const d1Query = (state, sql) => {
    const dir = path.join(state, "v3", "d1", "miniflare-D1DatabaseObject");
    const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
    return run("sqlite3", [path.join(dir, file), sql]).then((r) => r.stdout.trim());
  };
  /** --ref: export the commit, reuse this checkout's node_modules and .dev.vars, and run from there. */
  const useSnapshot = (ref) => {
    const repo = process.cwd();
    const commit = execFileSync("git", ["rev-parse", "--short", `${ref}^{commit}`], { encoding: "utf8" }).trim();
    snapshot = mkdtempSync(path.join(tmpdir(), "bench-src-"));
    execFileSync("sh", ["-c", `git archive --format=tar "$0" | tar -x -C "$1"`, commit, snapshot]);
    symlinkSync(path.join(repo, "node_modules"), path.join(snapshot, "node_modules"));
    if (existsSync(path.join(repo, ".dev.vars"))) copyFileSync(path.join(repo, ".dev.vars"), path.join(snapshot, ".dev.vars"));
    process.chdir(snapshot); // both dev servers run wrangler relative to the working directory
    return commit;
  };
  /** The video file's progress in the stage meta (before and after the pipeline-runs refactor). */
  const videoMeta = (stage) => stage?.meta?.files?.video ?? stage?.meta ?? {};

  /** One mode: start the dev server, set up a tenant, download each file, stop, verify. */
  const benchMode = async (mode, vars) => {
    const port = PORTS[mode];
    const started = Date.now();
    server =
      mode === "cli"
        ? await startDevServer({ port, vars, keepState: true })
        : await startApiDevServer({ port, vars, track: (pid, dir) => (children.add(pid), states.add(dir)) });
    const state = server.state;
    await api("GET", "/api/v1/health");
    console.log(`\n[${mode}] dev server up on ${server.baseUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const email = `download-bench-${Date.now()}@example.test`;
    const password = "Bench-Pass-2026";
    await api("POST", "/api/v1/auth/register", { body: { email, password } });
    const { access_token: token } = await api("POST", "/api/v1/auth/login", { body: { email, password } });
    const me = await api("GET", "/api/v1/users/me", { token });
    await api("POST", "/api/v1/templates", { token, body: { name: "Lectures", matching_rules: { keywords: ["lecture"] } } });
    const credential = await api("POST", "/api/v1/credentials", { token, body: { platform: "zoom", credentials: ACCOUNT } });
    const source = await api("POST", "/api/v1/sources", { token, body: { name: "Bench Zoom", platform: "ZOOM", credential_id: credential.id } });
    const synced = await api("POST", `/api/v1/sources/${source.id}/sync?from_date=2026-10-01&to_date=2026-10-31`, { token });
    const list = await api("GET", "/api/v1/recordings?per_page=50", { token });
    const byUuid = new Map();
    for (const item of list.items ?? []) {
      const detail = await api("GET", `/api/v1/recordings/${item.id}`, { token });
      if (detail.source_metadata?.source_key) byUuid.set(detail.source_metadata.source_key, detail);
    }
    const targets = zoom.meetings.map((m) => ({ ...m, recording: byUuid.get(m.uuid) }));
    for (const t of targets) {
      if (!t.recording) throw new Error(`sync did not create a recording for ${t.uuid} (sync answered ${JSON.stringify(synced)})`);
      if (t.recording.status !== "INITIALIZED") throw new Error(`recording ${t.recording.id} for ${t.topic} is ${t.recording.status}, not INITIALIZED`);
    }
    const initial = serverProcesses(server.pid);
    console.log(`[${mode}] processes: ${initial.map((p) => `${p.pid} ${role(p, port)}`).join(", ")}`);
    const baseline = new Map(initial.map((p) => [p.pid, memory(p.pid)]));

    const results = [];
    for (const t of targets) {
      const procs = serverProcesses(server.pid);
      const before = new Map(procs.map((p) => [p.pid, memory(p.pid)]));
      const maxRss = new Map(procs.map((p) => [p.pid, before.get(p.pid)?.rss ?? 0]));
      const maxFds = new Map(procs.map((p) => [p.pid, openFds(p.pid)]));
      const limits = new Map(procs.map((p) => [p.pid, fdLimit(p.pid)]));
      let maxWorkerdSum = 0;
      const marks = []; // VmRSS of each workerd as the copy passes 25/50/75 % (from the stage progress)
      let offset = 0;
      let exhausted = null; // a dev-server process at its open-file limit: the run cannot end well
      const sampler = setInterval(() => {
        let sum = 0;
        for (const p of serverProcesses(server.pid)) {
          if (!procs.some((q) => q.pid === p.pid)) (procs.push(p), limits.set(p.pid, fdLimit(p.pid))); // wrangler restarted a workerd
          const m = memory(p.pid);
          if (!m) continue;
          const fds = openFds(p.pid);
          maxRss.set(p.pid, Math.max(maxRss.get(p.pid) ?? 0, m.rss));
          maxFds.set(p.pid, Math.max(maxFds.get(p.pid) ?? 0, fds));
          if (fds >= 0.95 * limits.get(p.pid)) exhausted ??= `${role(p, port)} (${p.pid}) has ${fds} open files, its limit is ${limits.get(p.pid)} (RSS ${m.rss.toFixed(0)} MiB)`;
          if (isWorkerd(p)) sum += m.rss;
        }
        maxWorkerdSum = Math.max(maxWorkerdSum, sum);
      }, 200);
      const firstDownload = zoom.downloads.length;
      const t0 = performance.now();
      const startedAt = Date.now();
      let final;
      let lastReport = t0;
      try {
        const response = await fetch(`${server.baseUrl}/api/v1/recordings/${t.recording.id}/download`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
        if (!response.ok) throw new Error(`POST download for ${t.topic}: ${response.status} ${(await response.text()).slice(0, 500)}`);
        await response.body?.cancel();
        for (;;) {
          if (exhausted) throw new Error(`download of ${t.topic} abandoned: ${exhausted}`);
          const detail = await api("GET", `/api/v1/recordings/${t.recording.id}`, { token });
          const stage = (detail.processing_stages ?? []).find((s) => s.stage_type === "DOWNLOAD");
          offset = videoMeta(stage).offset ?? offset;
          while (marks.length < 3 && offset >= ((marks.length + 1) * t.size) / 4) {
            marks.push(procs.filter(isWorkerd).map((p) => f0(memory(p.pid)?.rss)).join("/"));
          }
          if (detail.status === "DOWNLOADED") {
            final = { detail, stage, seconds: (performance.now() - t0) / 1000 };
            break;
          }
          if (detail.failed || stage?.status === "FAILED") {
            throw new Error(`download of ${t.topic} failed: ${detail.failed_reason ?? stage?.failed_reason ?? "no reason"} (status ${detail.status})`);
          }
          if (performance.now() - t0 > DOWNLOAD_TIMEOUT_MS) {
            throw new Error(`download of ${t.topic} not done after ${DOWNLOAD_TIMEOUT_MS / 60_000} min: ${detail.status}, offset ${videoMeta(stage).offset}`);
          }
          if (performance.now() - lastReport > 10_000) {
            lastReport = performance.now();
            console.log(`  ${t.topic}: ${detail.status} ${((videoMeta(stage).offset ?? 0) / MiB).toFixed(0)} / ${t.size / MiB} MiB after ${((lastReport - t0) / 1000).toFixed(0)} s`);
          }
          await sleep(200);
        }
      } catch (error) {
        // Say what the dev server looked like when it gave up (the usual cause: see --mode cli).
        const peaks = procs.map((p) => `${role(p, port)} ${f0(maxRss.get(p.pid))} MiB / ${maxFds.get(p.pid)} fds`).join(", ");
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`${reason} (${t.topic}, copied ${f0(offset / MiB)} MiB${exhausted && !reason.includes(exhausted) ? `; ${exhausted}` : ""}; peak RSS / open files: ${peaks})`);
      } finally {
        clearInterval(sampler);
      }
      const after = new Map(procs.map((p) => [p.pid, memory(p.pid)]));
      const { detail, stage, seconds } = final;
      if (detail.video_file_size !== t.size) throw new Error(`${t.topic}: video_file_size ${detail.video_file_size}, expected ${t.size}`);
      const expectedParts = Math.ceil(t.size / partBytes);
      const parts = videoMeta(stage).parts?.length;
      if (parts !== undefined && parts !== expectedParts) throw new Error(`${t.topic}: stage lists ${parts} parts, expected ${expectedParts}`);
      const requests = zoom.downloads.slice(firstDownload).filter((d) => d.fileId === t.fileId);
      const transferMs = requests.reduce((s, d) => s + (d.endedAt - d.startedAt), 0);
      const gaps = requests.slice(1).map((d, i) => d.startedAt - requests[i].endedAt);
      const r = {
        t,
        seconds,
        mibps: t.size / MiB / seconds,
        parts: parts ?? "?",
        attempts: stage?.attempts,
        requests: requests.length,
        aborted: requests.filter((d) => d.aborted).length,
        firstByteMs: requests.length ? requests[0].startedAt - startedAt : NaN,
        transferMs,
        inRequestMibps: requests.reduce((s, d) => s + d.bytes, 0) / MiB / (transferMs / 1000),
        gapsMs: gaps,
        tailMs: requests.length ? startedAt + seconds * 1000 - requests.at(-1).endedAt : NaN,
        procs,
        before,
        after,
        maxRss,
        maxFds,
        maxWorkerdSum,
        marks,
      };
      results.push(r);
      console.log(
        `  ${t.topic}: DOWNLOADED in ${seconds.toFixed(1)} s (${r.mibps.toFixed(1)} MiB/s), ${requests.length} ranged GETs, ${r.parts} parts; ` +
          `POST → first GET ${r.firstByteMs} ms, inside GETs ${(transferMs / 1000).toFixed(1)} s, between GETs ${(gaps.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s, last GET → DOWNLOADED ${f0(r.tailMs)} ms`,
      );
    }

    const keys = [];
    for (const r of results) {
      keys.push(
        (await run("sqlite3", ["--version"]).then(() => true, () => false))
          ? await d1Query(state, `SELECT source_object_key FROM recordings WHERE id = ${Number(r.t.recording.id)}`)
          : `users/${me.id}/recordings/${r.t.recording.id}/source.mp4`,
      );
    }
    const s = server;
    server = null;
    await s.stop(); // the state stays for the read-back
    children.delete(s.pid);
    try {
      if (verify) {
        for (const [i, r] of results.entries()) {
          const expected = await zoom.sha256(r.t.fileId);
          const stored = await storedSha256(state, keys[i]);
          r.verified = stored.sha256 === expected && stored.bytes === r.t.size;
          r.verifyNote = `${stored.bytes} bytes, sha256 ${stored.sha256.slice(0, 12)}… ${r.verified ? "= the fake's" : `≠ the fake's ${expected.slice(0, 12)}…`}`;
        }
      }
    } finally {
      rmSync(state, { recursive: true, force: true });
      states.delete(state);
    }
    return { mode, port, results, baseline };
  };

  // ---- the run ---------------------------------------------------------------------------------
  let exitCode = 0;
  try {
    if (args.ref) console.log(`benchmarking a clean export of ${args.ref} (${useSnapshot(args.ref)})`);
    else {
      const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "migrations", "wrangler.toml"], { encoding: "utf8" }).trim();
      console.log(`benchmarking the working tree at ${execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim()}${dirty ? " with uncommitted changes under src/ or migrations/" : ""}`);
    }
    console.log(`load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} on ${readFileSync("/proc/cpuinfo", "utf8").match(/^processor/gm).length} cores`);
    const haveCurl = await run("curl", ["--version"]).then(() => true, () => false);
    zoom = await startFakeZoom({
      files: sizesMiB.map((mib, i) => ({
        id: `bench-${i + 1}-${label(mib).replace(" ", "")}`,
        uuid: `bench-${i + 1}-${label(mib).replace(" ", "")}==`,
        topic: `Lecture bench ${i + 1} (${label(mib)})`,
        size: mib * MiB,
        startTime: `2026-10-${String(i + 10).padStart(2, "0")}T10:00:00Z`,
        duration: 90, // above the 20-minute blank threshold
      })),
    });
    const vars = {
      ...exampleSecrets(),
      RATE_LIMIT_API_PER_MINUTE: "100000",
      LOG_LEVEL: "warn",
      ZOOM_API_BASE_URL: `${zoom.url}/v2`,
      ZOOM_OAUTH_BASE_URL: zoom.url,
      // The fake speaks plain http on a loopback port: allowed for this host only, as the sandbox does.
      ZOOM_DOWNLOAD_HOSTS: new URL(zoom.url).host,
      OUTBOUND_HTTP_ALLOW_HOSTS: new URL(zoom.url).host,
      ...(args["part-mib"] ? { DOWNLOAD_PART_BYTES: String(partBytes) } : {}),
      ...(args["parts-per-message"] ? { DOWNLOAD_PARTS_PER_MESSAGE: String(partsPerMessage) } : {}),
    };
    console.log(
      `fake Zoom ${zoom.url}; part size ${partBytes / MiB} MiB${args["part-mib"] ? "" : " (default)"}, ${partsPerMessage} parts per queue message${args["parts-per-message"] ? "" : " (default)"} = ${(partBytes * partsPerMessage) / MiB} MiB per ranged GET`,
    );

    const outcomes = [];
    for (const mode of modes) {
      try {
        outcomes.push(await benchMode(mode, vars));
      } catch (error) {
        exitCode = 1;
        console.error(`\n[${mode}] failed: ${error instanceof Error ? error.stack ?? error.message : error}`);
        outcomes.push({ mode, error });
        await stopServer();
      }
    }

    // The reference of issue 17's row: a raw R2 multipart put of the same bytes, in this run.
    const rawPut = [];
    try {
      const reference = await startApiDevServer({ port: REFERENCE_PORT, vars: {}, config: "bench/r2-put-reference/wrangler.toml", track: (pid, state) => (children.add(pid), states.add(state)) });
      try {
        for (const m of zoom.meetings) {
          const started = Date.now();
          const answer = await fetch(`${reference.baseUrl}/put?url=${encodeURIComponent(m.downloadUrl)}&part=${partBytes}`, { headers: { "x-source-authorization": `Bearer ${DOWNLOAD_TOKEN}` } });
          if (!answer.ok) throw new Error(`reference put answered ${answer.status}: ${await answer.text()}`);
          const { bytes } = await answer.json();
          const seconds = (Date.now() - started) / 1000;
          rawPut.push({ mibps: bytes / MiB / seconds, seconds });
          console.log(`  raw R2 multipart put of ${label(bytes / MiB)}: ${seconds.toFixed(1)} s (${(bytes / MiB / seconds).toFixed(1)} MiB/s)`);
        }
      } finally {
        await reference.stop();
      }
    } catch (error) {
      exitCode = 1;
      console.error(`\nthe raw R2 reference failed: ${error instanceof Error ? error.message : error}`);
    }

    // Plain curl of the same files from the same fake (one GET each, with no dev server running).
    const plain = [];
    const toFile = [];
    const scratch = mkdtempSync(path.join(tmpdir(), "bench-curl-"));
    states.add(scratch);
    for (const m of zoom.meetings) {
      plain.push(haveCurl ? await curlSpeed(m.downloadUrl) : await fetchSpeed(m.downloadUrl));
      // Also into a file on the disk local R2 writes to, as a second reference.
      toFile.push(haveCurl ? await curlSpeed(m.downloadUrl, path.join(scratch, "copy")) : { mibps: NaN });
      rmSync(path.join(scratch, "copy"), { force: true });
    }
    rmSync(scratch, { recursive: true, force: true });

    // ---- report ------------------------------------------------------------------------------
    console.log(`\nThroughput (MiB/s = 2^20 bytes/s; wall time from POST /download to status DOWNLOADED, polled every 200 ms)\n`);
    console.log(`| mode | file | time | MiB/s | plain ${plain[0].tool} MiB/s | ours / plain | curl into a file MiB/s | ranged GETs | parts | POST → first GET | inside the GETs | gaps between GETs (median / max, total) | last GET → DOWNLOADED | R2 copy |`);
    console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (const o of outcomes) {
      if (o.error) {
        console.log(`| ${o.mode} | failed: ${String(o.error.message ?? o.error).slice(0, 200).replace(/\|/g, "/")} |`);
        continue;
      }
      o.results.forEach((r, i) => {
        const sorted = [...r.gapsMs].sort((a, b) => a - b);
        const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
        console.log(
          `| ${o.mode} | ${label(r.t.size / MiB)} | ${f1(r.seconds)} s | ${f1(r.mibps)} | ${f0(plain[i].mibps)} | ${(r.mibps / plain[i].mibps).toFixed(3)} (${f1((100 * r.mibps) / plain[i].mibps)} %) | ${f0(toFile[i].mibps)} | ${r.requests}${r.aborted ? ` (${r.aborted} broken off)` : ""} | ${r.parts} | ${f0(r.firstByteMs)} ms | ${f1(r.transferMs / 1000)} s (${f0(r.inRequestMibps)} MiB/s) | ${f0(median)} / ${f0(Math.max(...r.gapsMs))} ms, ${f1(r.gapsMs.reduce((s, g) => s + g, 0) / 1000)} s | ${f0(r.tailMs)} ms | ${verify ? (r.verified ? "SHA-256 =" : `MISMATCH: ${r.verifyNote}`) : "not checked"} |`,
        );
        if (verify && !r.verified) exitCode = 1;
      });
    }
    for (const o of outcomes.filter((x) => !x.error && rawPut.length > 0)) {
      o.results.forEach((r, i) => {
        const q = r.mibps / rawPut[i].mibps;
        console.log(
          `row "${label(r.t.size / MiB)} Zoom → R2 download" [${o.mode}]: ${f1(r.mibps)} MiB/s vs raw R2 multipart put ${f1(rawPut[i].mibps)} MiB/s = ${f1(100 * q)} % (target ≥ 80 %: ${q >= 0.8 ? "meets target" : "misses target"})`,
        );
      });
    }
    for (const o of outcomes.filter((x) => !x.error)) {
      console.log(`\n[${o.mode}] memory of the dev server's processes (MiB; VmHWM = the process's peak since it started, VmRSS sampled every 200 ms)\n`);
      console.log("| download | process | VmRSS before | max VmRSS during | VmHWM after | max open fds | workerd VmRSS at 25/50/75 % |");
      console.log("|---|---|---|---|---|---|---|");
      for (const [i, r] of o.results.entries()) {
        const name = `${i + 1}. ${label(r.t.size / MiB)}`;
        for (const p of r.procs) {
          console.log(`| ${name} | ${role(p, o.port)} (${p.pid}) | ${f0(r.before.get(p.pid)?.rss)} | ${f0(r.maxRss.get(p.pid))} | ${f0(r.after.get(p.pid)?.hwm)} | ${r.maxFds.get(p.pid) ?? "–"} | ${isWorkerd(p) ? r.marks.map((m) => m.split("/")[r.procs.filter(isWorkerd).indexOf(p)]).join(" / ") : ""} |`);
        }
      }
      console.log("");
      for (const p of o.results[0].procs.filter(isWorkerd)) {
        const hwm = o.results.map((r) => r.after.get(p.pid)?.hwm);
        console.log(`${role(p, o.port)}: VmHWM after each download ${o.results.map((r, i) => `${f0(hwm[i])} (${label(r.t.size / MiB)})`).join(" → ")} MiB; VmRSS at start ${f0(o.baseline.get(p.pid)?.rss)} MiB`);
      }
    }
    console.log(`\nfake Zoom requests: ${JSON.stringify(zoom.requests)}`);
  } catch (error) {
    console.error(`\nbench:download failed: ${error instanceof Error ? error.stack ?? error.message : error}`);
    exitCode = 1;
  } finally {
    await cleanup();
    clearTimeout(hardTimer);
  }
  process.exit(exitCode);
}
