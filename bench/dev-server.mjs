// Starts `wrangler dev` for a benchmark on its own port and state directory, and stops it by PID.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
};

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["wrangler", ...args], { env: ENV, stdio: "ignore" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`wrangler ${args[0]} exited ${code}`))));
  });
}

export const wrangler = run;

/** Without a .dev.vars, the published development values of .dev.vars.example (never production ones). */
export function exampleSecrets() {
  if (existsSync(".dev.vars") || !existsSync(".dev.vars.example")) return {};
  const wanted = new Set(["JWT_SECRET", "ENCRYPTION_KEYS"]);
  return Object.fromEntries(
    readFileSync(".dev.vars.example", "utf8")
      .split("\n")
      .map((line) => line.trim().split(/=(.*)/s).slice(0, 2))
      .filter(([key, value]) => wanted.has(key) && value),
  );
}

/**
 * @param {{ port: number, vars?: Record<string, string>, state?: string, keepState?: boolean, frozenAssets?: boolean, withoutPipelineConsumer?: boolean }} options
 *   `state`: an existing persist directory to reuse (e.g. after seeding it); `keepState`: leave it on stop.
 * @returns {Promise<{ baseUrl: string, pid: number, state: string, stop: () => Promise<void> }>}
 */
export async function startDevServer({ port, vars = {}, state: existing, keepState = false, frozenAssets = false, withoutPipelineConsumer = false }) {
  const state = existing ?? mkdtempSync(path.join(tmpdir(), "bench-state-"));
  await run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  const varArgs = Object.entries({ ...exampleSecrets(), ...vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  // The per-user API limit is the rate-limiting binding's, fixed in wrangler.toml (no --var reaches
  // it): a bench that raises RATE_LIMIT_API_PER_MINUTE runs on a copy of the config with the
  // binding raised to match (next to wrangler.toml, so its relative paths still resolve; removed on stop).
  // `frozenAssets`: the dashboard assets (web/dist) are served from a copy taken now, so a
  // `build:web` run by someone else meanwhile does not reload the server (and cut long responses).
  let configArgs = [];
  let benchConfig = null;
  let assetsCopy = null;
  // `withoutPipelineConsumer`: the Worker only produces to `lecture-pipeline` (messages wait in the
  // local queue), so a bench can measure a front door without the consumer's work on the same cores.
  if (vars.RATE_LIMIT_API_PER_MINUTE || frozenAssets || withoutPipelineConsumer) {
    benchConfig = `wrangler.bench-${port}.toml`;
    let toml = readFileSync("wrangler.toml", "utf8");
    if (vars.RATE_LIMIT_API_PER_MINUTE) {
      toml = toml.replace(/(name = "API_RATE_LIMITER"[\s\S]*?simple = \{ limit = )\d+/, `$1${vars.RATE_LIMIT_API_PER_MINUTE}`);
    }
    if (frozenAssets && existsSync("web/dist")) {
      assetsCopy = mkdtempSync(path.join(tmpdir(), "bench-assets-"));
      cpSync("web/dist", assetsCopy, { recursive: true });
      toml = toml.replace(/^directory = "web\/dist"$/m, `directory = ${JSON.stringify(assetsCopy)}`);
    }
    if (withoutPipelineConsumer) {
      const consumer = /\[\[queues\.consumers\]\]\nqueue = "lecture-pipeline"\n[\s\S]*?\n\n/;
      if (!consumer.test(toml)) throw new Error("wrangler.toml has no lecture-pipeline consumer block to leave out");
      toml = toml.replace(consumer, "");
    }
    writeFileSync(benchConfig, toml);
    configArgs = ["--config", benchConfig];
  }
  const child = spawn(
    "node",
    [
      "node_modules/wrangler/bin/wrangler.js",
      "dev",
      "--ip", "127.0.0.1",
      "--port", String(port),
      "--inspector-port", String(port + 1000),
      "--persist-to", state,
      "--show-interactive-dev-session=false",
      ...configArgs,
      ...varArgs,
    ],
    // Its own process group, so stopping it also stops the two workerd processes it starts.
    { env: ENV, stdio: ["ignore", process.env.BENCH_VERBOSE ? "inherit" : "ignore", "inherit"], detached: true },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  let exitCode = null;
  let stopped = false;
  child.once("exit", (code) => (exitCode = code ?? -1));
  let healthy = false;
  for (let i = 0; i < 120 && !healthy; i++) {
    if (exitCode !== null) throw new Error(`wrangler dev exited (${exitCode}) before serving; is port ${port} in use?`);
    try {
      healthy = (await fetch(`${baseUrl}/api/v1/health`)).ok;
    } catch {
      // not up yet
    }
    if (!healthy) await new Promise((r) => setTimeout(r, 500));
  }
  if (!healthy) {
    // e.g. a --var the config refuses (every route then answers 503): stop it rather than bench errors.
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    if (benchConfig) rmSync(benchConfig, { force: true });
    if (assetsCopy) rmSync(assetsCopy, { recursive: true, force: true });
    if (!keepState && !existing) rmSync(state, { recursive: true, force: true });
    throw new Error(`wrangler dev on port ${port} did not answer GET /api/v1/health with 2xx within 60 s (see its log above)`);
  }
  return {
    baseUrl,
    state,
    pid: child.pid,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const signal = (sig) => {
        try {
          process.kill(-child.pid, sig);
        } catch {
          // already gone
        }
      };
      const exited = exitCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", r));
      signal("SIGINT");
      const timer = setTimeout(() => signal("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
      await new Promise((r) => setTimeout(r, 500));
      signal("SIGKILL"); // any workerd left in the group
      if (benchConfig) rmSync(benchConfig, { force: true });
      if (assetsCopy) rmSync(assetsCopy, { recursive: true, force: true });
      if (!keepState) rmSync(state, { recursive: true, force: true });
    },
  };
}
