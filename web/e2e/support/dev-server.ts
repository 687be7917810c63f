import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { SANDBOX, sandboxVars, startSandboxFakes, type SandboxFakes } from "../../../sandbox/fakes.mjs";
import { ensureSampleLecture } from "../../../sandbox/lecture.mjs";

/** The simulated providers the server talks to (the same as `npm run dev:sandbox`'s), for journeys that run the pipeline. */
export interface SandboxInfo {
  /** POST here (with `{webhook_url, secret_token}`) and the next sample meeting "arrives" by a signed Zoom webhook. */
  meetingsUrl: string;
  zoomUrl: string;
  aiUrl: string;
  /** The YouTube simulator; published links point at its /watch page (YOUTUBE_WATCH_BASE_URL). */
  youtubeUrl: string;
  /** What the simulators accept: Zoom Server-to-Server credentials, the webhook secret, API keys, a YouTube token. */
  secrets: typeof SANDBOX;
}

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    adminEmail: string;
    /** The server's --persist-to directory (local D1 and R2), for journeys that seed what no API writes; "" against an external server. */
    stateDir: string;
    /** null against an external server (E2E_BASE_URL): the pipeline journeys are skipped there. */
    sandbox: SandboxInfo | null;
  }
}

const ROOT = path.resolve(import.meta.dirname, "../../..");
const WRANGLER = path.join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const ADMIN_EMAIL = "e2e-admin@example.test";

/** Pinned for the journeys, so a developer's .dev.vars cannot change what the browser sees. */
const VARS: Record<string, string> = {
  ENVIRONMENT: "development",
  JWT_SECRET: "e2e-secret-0123456789-0123456789-abcdef",
  ENCRYPTION_KEYS: "e2e1:Lcv6O1Vx7g8d00d1h6L6eecUcIYaaR5vGh2Km8pnWxk=",
  SENTRY_DSN: "",
  LOG_LEVEL: "warn",
  LOG_FORMAT: "json",
  BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
  RATE_LIMIT_ENABLED: "true",
  RATE_LIMIT_API_PER_MINUTE: "1000",
  AUTH_REGISTRATIONS_PER_IP_PER_HOUR: "1000",
};

const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/api/v1/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`wrangler dev did not become healthy in 90 s:\n${log()}`);
}

/** Stops the server's whole process group (wrangler and its workerd children) by its id. */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.pid === undefined || child.exitCode !== null) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      resolve();
    }, 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid, "SIGINT");
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Against a server that is already running (e.g. `npm run dev`), for a quick loop while writing journeys.
  const external = process.env.E2E_BASE_URL;
  if (external) {
    project.provide("baseURL", external.replace(/\/$/, ""));
    project.provide("adminEmail", process.env.E2E_ADMIN_EMAIL ?? ADMIN_EMAIL);
    project.provide("stateDir", process.env.E2E_STATE_DIR ?? "");
    project.provide("sandbox", null);
    return async () => undefined;
  }
  const state = mkdtempSync(path.join(tmpdir(), "lp-e2e-"));
  // The simulated providers: Zoom, OpenAI-compatible transcription and chat, YouTube. The lecture is
  // always the 6-second fixture (no ffmpeg in CI, and a short pipeline keeps the journeys fast).
  const fakes: SandboxFakes = await startSandboxFakes({
    lecture: ensureSampleLecture(path.join(state, "media"), { generate: false }),
    log: process.env.E2E_SANDBOX_LOG ? (line) => console.log(`[sandbox] ${line}`) : undefined,
  });
  const cleanUp = async () => {
    await fakes.close();
    rmSync(state, { recursive: true, force: true });
  };
  const migrate = spawnSync(process.execPath, [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { cwd: ROOT, env, encoding: "utf8" });
  if (migrate.status !== 0) {
    await cleanUp();
    throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  }

  const [port, inspectorPort] = [await freePort(), await freePort()];
  const args = [WRANGLER, "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--persist-to", state];
  args.push("--show-interactive-dev-session=false", "--log-level", "warn");
  const baseURL = `http://127.0.0.1:${port}`;
  for (const [name, value] of Object.entries({ ...VARS, ...sandboxVars(fakes, baseURL) })) args.push("--var", `${name}:${value}`);
  // detached: its own process group, so teardown reaches workerd too.
  const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));

  try {
    await waitForHealth(baseURL, child, () => output);
  } catch (error) {
    await stop(child);
    await cleanUp();
    throw error;
  }
  project.provide("baseURL", baseURL);
  project.provide("adminEmail", ADMIN_EMAIL);
  project.provide("stateDir", state);
  project.provide("sandbox", {
    meetingsUrl: `${fakes.zoom.url}/_sandbox/meetings`,
    zoomUrl: fakes.zoom.url,
    aiUrl: fakes.ai.url,
    youtubeUrl: fakes.youtube.url,
    secrets: SANDBOX,
  });

  return async () => {
    await stop(child);
    await cleanUp();
  };
}
