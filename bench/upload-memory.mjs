// Upload-session memory benchmark: pushes a 200 MiB and then a 2 GiB file through the resumable
// multipart API of a local `wrangler dev`, and samples the resident memory (VmRSS, /proc) of the
// workerd processes that wrangler started, to show the Worker's memory does not grow with file size.
// Usage: npm run bench:upload  [-- --big-mib 2048 --small-mib 200 --part-mib 16]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { startDevServer } from "./dev-server.mjs";
import { isolateLiveMiB } from "./isolate-heap.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const MiB = 1024 * 1024;
const sizes = [Number(args["small-mib"] ?? 200), Number(args["big-mib"] ?? 2048), Number(args["big-mib"] ?? 2048)];
const partSize = Number(args["part-mib"] ?? 16) * MiB;

function descendants(pid) {
  const out = execFileSync("ps", ["-e", "-o", "pid=,ppid=,comm="], { encoding: "utf8" });
  const rows = out.trim().split("\n").map((l) => l.trim().split(/\s+/));
  const found = [];
  const walk = (p) => rows.filter((r) => r[1] === String(p)).forEach((r) => (found.push({ pid: Number(r[0]), comm: r[2] }), walk(r[0])));
  walk(pid);
  return found.filter((p) => p.comm.startsWith("workerd"));
}

const rssMiB = (pid) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0; // the process was replaced (wrangler restarts workerd on reload)
  }
};

const INSPECTOR_PORT = 8798 + 1000; // dev-server.mjs puts the inspector at port + 1000
const server = await startDevServer({ port: 8798, vars: { RATE_LIMIT_API_PER_MINUTE: "100000", LOG_LEVEL: "warn" } });
try {
  const json = { "content-type": "application/json" };
  const email = `upload-bench-${Date.now()}@example.test`;
  const password = "Bench-Pass-2026";
  await fetch(`${server.baseUrl}/api/v1/auth/register`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
  const { access_token: token } = await (
    await fetch(`${server.baseUrl}/api/v1/auth/login`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) })
  ).json();
  const auth = { authorization: `Bearer ${token}` };
  console.log(`part size ${partSize / MiB} MiB\n`);

  const part = Buffer.alloc(partSize, 7);
  part.set([0, 0, 0, 0x18, ...Buffer.from("ftypisom"), 0, 0, 2, 0]);
  console.log("size      parts   seconds   MB/s   peak RSS per workerd (MiB)   RSS before");
  for (const mib of sizes) {
    const size = mib * MiB;
    const workerds = descendants(server.pid); // looked up per run: wrangler may have replaced them
    const before = workerds.map((w) => rssMiB(w.pid));
    const peak = [...before];
    const sampler = setInterval(() => workerds.forEach((w, i) => (peak[i] = Math.max(peak[i], rssMiB(w.pid)))), 100);
    const marks = [];
    const liveMarks = [];
    const started = Date.now();
    const session = await (
      await fetch(`${server.baseUrl}/api/v1/recordings/uploads`, {
        method: "POST",
        headers: { ...json, ...auth },
        body: JSON.stringify({ display_name: `Bench ${mib} MiB`, size, content_type: "video/mp4", part_size: partSize }),
      })
    ).json();
    for (let n = 1; n <= session.part_count; n++) {
      const length = n < session.part_count ? partSize : size - partSize * (n - 1);
      const response = await fetch(`${server.baseUrl}/api/v1/recordings/uploads/${session.id}/parts/${n}`, {
        method: "PUT",
        headers: { ...auth, "content-type": "application/octet-stream" },
        body: length === partSize ? part : part.subarray(0, length),
      });
      if (!response.ok) throw new Error(`part ${n}: ${response.status} ${await response.text()}`);
      if (n % Math.ceil(session.part_count / 4) === 0 || n === session.part_count) {
        const live = await isolateLiveMiB(INSPECTOR_PORT).catch(() => NaN);
        liveMarks.push(live);
        marks.push(`${Math.round((100 * n) / session.part_count)}%: ${workerds.map((w) => rssMiB(w.pid).toFixed(0)).join("/")}`);
      }
    }
    const done = await fetch(`${server.baseUrl}/api/v1/recordings/uploads/${session.id}/complete`, { method: "POST", headers: auth });
    const recording = await done.json();
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    if (recording.video_file_size !== size) throw new Error(`complete returned ${JSON.stringify(recording)}`);
    console.log(
      `${String(mib).padStart(5)} MiB ${String(session.part_count).padStart(6)} ${seconds.toFixed(1).padStart(9)} ${(mib / seconds)
        .toFixed(0)
        .padStart(6)}   ${peak.map((p) => p.toFixed(0)).join(" / ").padEnd(27)}  ${before.map((p) => p.toFixed(0)).join(" / ")}`,
    );
    console.log(`          RSS (proxy/user workerd, MiB) as the upload progresses: ${marks.join("  ")}`);
    console.log(`          Worker isolate live memory after GC (MiB) at the same points: ${liveMarks.map((m) => m.toFixed(1)).join("  ")}`);
  }
} finally {
  await server.stop();
}
