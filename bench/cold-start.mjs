// Cold start and bundle (issue 17): the Worker bundle as `wrangler deploy --dry-run` builds it (size,
// gzip), and the isolate's start-up — a fresh workerd (Miniflare) per sample, timed from the first
// request to its answer, which includes evaluating the whole bundle — against a one-line Worker
// started the same way in the same run. No bindings: the app answers its first request before any
// storage is touched (`/api/v1/health` without configuration is a 503 from the config gate, after
// every module has been evaluated).
// Usage: npm run bench:cold-start  [-- --samples 7]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Miniflare } from "miniflare";
import { ratio } from "./ratio.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const samples = Number(args.samples ?? 7);
const toml = readFileSync("wrangler.toml", "utf8");
const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
const compatibilityFlags = JSON.parse(/^compatibility_flags\s*=\s*(\[[^\]]*\])/m.exec(toml)?.[1] ?? "[]");

const out = mkdtempSync(path.join(tmpdir(), "bench-bundle-"));
try {
  const printed = execFileSync(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", out], {
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const upload = /Total Upload: ([^\n]+)/.exec(printed)?.[1] ?? "?";
  const bundle = path.join(out, "index.js");
  const bytes = statSync(bundle).size;
  console.log(`bundle (wrangler deploy --dry-run): ${upload}; index.js ${(bytes / 1024).toFixed(1)} KiB, gzip ${(gzipSync(readFileSync(bundle)).length / 1024).toFixed(1)} KiB\n`);

  const trivial = path.join(out, "trivial.js");
  writeFileSync(trivial, 'export default { fetch: () => new Response("ok") };\n');

  /** A fresh workerd per sample; the time from the first request to its answer (module evaluation included). */
  async function firstRequestMs(scriptPath) {
    const mf = new Miniflare({ modules: true, scriptPath, compatibilityDate, compatibilityFlags, modulesRoot: out, handleRuntimeStdio: (stdout, stderr) => (stdout.resume(), stderr.resume()) });
    try {
      await mf.ready;
      const started = performance.now();
      const response = await mf.dispatchFetch("http://localhost/api/v1/health");
      await response.arrayBuffer();
      const first = performance.now() - started;
      const again = performance.now();
      await (await mf.dispatchFetch("http://localhost/api/v1/health")).arrayBuffer();
      return { first, warm: performance.now() - again, status: response.status };
    } finally {
      await mf.dispose();
    }
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const runs = { app: [], trivial: [] };
  for (let i = 0; i < samples; i++) {
    // Alternating, so a change in the machine's load falls on both alike.
    runs.trivial.push(await firstRequestMs(trivial));
    runs.app.push(await firstRequestMs(bundle));
  }
  console.log(`worker        first request (median of ${samples})   warm request   status`);
  for (const [name, rs] of Object.entries(runs)) {
    console.log(`${name.padEnd(13)} ${median(rs.map((r) => r.first)).toFixed(1).padStart(10)} ms ${" ".repeat(18)} ${median(rs.map((r) => r.warm)).toFixed(1).padStart(7)} ms   ${rs[0].status}`);
  }
  const appFirst = median(runs.app.map((r) => r.first));
  const trivialFirst = median(runs.trivial.map((r) => r.first));
  console.log(
    `\nisolate start-up: the app's first request ${appFirst.toFixed(1)} ms vs a one-line Worker ${trivialFirst.toFixed(1)} ms = ${ratio(appFirst, trivialFirst).toFixed(2)}×; ` +
      `the bundle's own evaluation ≈ ${(appFirst - trivialFirst).toFixed(1)} ms`,
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
