// `npm run dev:sandbox`: the service together with simulated providers, no account anywhere.
//
//   1. the sample lecture (sandbox/lecture.mjs) and the simulated providers (sandbox/fakes.mjs) on
//      free ports (preferred 8791–8793);
//   2. the dashboard built (`npm run build:web`), local D1 migrations applied to a separate state
//      directory (.wrangler/sandbox-state; the `npm run dev` database is untouched), then
//      `wrangler dev` with `--var` overrides pointing the Zoom, transcription, chat and YouTube base
//      URLs at the simulators;
//   3. once /api/v1/health answers: a sandbox user, its credentials, a ZOOM source, a template, a
//      YouTube preset and the user config, created idempotently (a second start reuses them);
//   4. prints how to sign in and how to make a meeting arrive (`npm run sandbox:meeting`).
//
// Ctrl+C stops what it started: `wrangler dev` by its process group (it was started detached, with
// its workerd children in that group) and the simulators (in this process).
//
// Options: --port 8787 (the app), --skip-build (use the existing web/dist), --fixture (the 6-second
// test fixture as the lecture, even with ffmpeg), --verbose (wrangler's
// and the simulators' logs on this terminal; otherwise wrangler's go to .wrangler/sandbox-state/wrangler.log).
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { SANDBOX, sandboxVars, startSandboxFakes } from "./fakes.mjs";
import { ensureSampleLecture } from "./lecture.mjs";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: process.env.SANDBOX_PORT ?? "8787" },
    "skip-build": { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    fixture: { type: "boolean", default: false },
  },
});

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (line) => console.log(`[sandbox +${elapsed()}] ${line}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" };
const STATE = path.resolve(".wrangler/sandbox-state");
const INFO_FILE = path.join(STATE, "sandbox.json");
const COUNTER_FILE = path.join(STATE, "meeting-counter");
const USER = { email: "sandbox@example.com", password: "Sandbox-Lecture-2026" };
const port = Number(args.port);
mkdirSync(STATE, { recursive: true });

let wranglerChild = null;
let wranglerExited = null;
let fakes = null;
let stopping = null;

async function stopAll(code) {
  stopping ??= (async () => {
    if (wranglerChild && wranglerExited === null) {
      say(`stopping wrangler dev (process group ${wranglerChild.pid}) …`);
      const gone = new Promise((r) => wranglerChild.once("exit", r));
      signalGroup("SIGINT");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 5000);
      await Promise.race([gone, sleep(8000)]);
      clearTimeout(timer);
      await sleep(300);
    }
    if (wranglerChild) signalGroup("SIGKILL"); // any workerd left in its group
    if (fakes) await fakes.close().catch(() => undefined);
    if (existsSync(INFO_FILE)) {
      const info = JSON.parse(readFileSync(INFO_FILE, "utf8"));
      writeFileSync(INFO_FILE, JSON.stringify({ ...info, running: false }, null, 2));
    }
    say("stopped.");
    process.exit(code);
  })();
  return stopping;
}
function signalGroup(signal) {
  try {
    process.kill(-wranglerChild.pid, signal);
  } catch {
    // already gone
  }
}
process.once("SIGINT", () => stopAll(130));
process.once("SIGTERM", () => stopAll(143));

function portFree(p) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(p, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function run(command, argv, label) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env: ENV, stdio: args.verbose ? "inherit" : ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${label} exited ${code}${stderr ? `:\n${stderr}` : ""}`))));
  });
}

function nextMeetingNumber() {
  const n = (existsSync(COUNTER_FILE) ? Number(readFileSync(COUNTER_FILE, "utf8")) || 0 : 0) + 1;
  writeFileSync(COUNTER_FILE, String(n));
  return n;
}

async function main() {
  if (!(await portFree(port))) throw new Error(`port ${port} is in use (another \`npm run dev\`?): run with --port, e.g. \`npm run dev:sandbox -- --port 8788\``);

  // 1. the lecture and the simulators
  const lecture = ensureSampleLecture(path.join(STATE, "media"), { generate: !args.fixture });
  say(`sample lecture: ${path.relative(process.cwd(), lecture.path)} (${(lecture.size / 2 ** 20).toFixed(2)} MiB, ${lecture.duration} s${lecture.generated ? ", made with ffmpeg" : ", the test fixture"})`);
  fakes = await startSandboxFakes({
    lecture,
    ports: { zoom: 8791, ai: 8792, youtube: 8793 },
    nextIndex: nextMeetingNumber,
    log: args.verbose ? (line) => console.log(`[sandbox] ${line}`) : (line) => line.includes('"uploaded"') && say(line.replace(/^\[youtube\] /, "Sandbox YouTube: ")),
  });
  say(`simulators: Zoom ${fakes.zoom.url}, transcription+chat ${fakes.ai.url}, YouTube ${fakes.youtube.url}`);

  // 2. the dashboard, the migrations, wrangler dev (as `npm run dev`, with its own state directory)
  await run(process.execPath, ["scripts/ensure-dev-vars.mjs"], "ensure-dev-vars");
  if (!args["skip-build"]) {
    say("building the dashboard (npm run build:web) …");
    try {
      await run("npm", ["run", "--silent", "build:web"], "npm run build:web");
    } catch (error) {
      if (!existsSync("web/dist/index.html")) throw error;
      say(`the dashboard build failed; serving the existing web/dist (${error.message.split("\n")[0]})`);
    }
  }
  say("applying local D1 migrations to .wrangler/sandbox-state …");
  await run(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE], "wrangler d1 migrations apply");
  const vars = sandboxVars(fakes, `http://127.0.0.1:${port}`);
  const logFile = path.join(STATE, "wrangler.log");
  say(`starting wrangler dev on http://127.0.0.1:${port} (log: ${path.relative(process.cwd(), logFile)}) …`);
  wranglerChild = spawn(
    process.execPath,
    [
      "node_modules/wrangler/bin/wrangler.js", "dev",
      "--ip", "127.0.0.1",
      "--port", String(port),
      "--inspector-port", String(port + 1000),
      "--persist-to", STATE,
      "--show-interactive-dev-session=false",
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    { env: ENV, stdio: ["ignore", args.verbose ? "inherit" : "pipe", args.verbose ? "inherit" : "pipe"], detached: true },
  );
  wranglerChild.once("exit", (code) => {
    wranglerExited = code ?? -1;
    if (!stopping) {
      say(`wrangler dev exited (${wranglerExited}); see ${logFile}`);
      stopAll(1);
    }
  });
  // The PIDs first (the rest of this file once the tenant is ready), so a stuck start can be stopped by them.
  writeFileSync(INFO_FILE, JSON.stringify({ running: false, starting: true, runner_pid: process.pid, wrangler_pid: wranglerChild.pid }, null, 2));
  if (!args.verbose) {
    const out = createWriteStream(logFile, { flags: "a" });
    wranglerChild.stdout.pipe(out);
    wranglerChild.stderr.pipe(out);
  }
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (wranglerExited !== null) throw new Error(`wrangler dev exited (${wranglerExited}) before serving; see ${logFile}`);
    try {
      if ((await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(3000) })).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${base}/api/v1/health in 120 s; see ${logFile}`);
    await sleep(300);
  }
  say("the app answers /api/v1/health");

  // 3. the sandbox tenant, through the API, idempotently
  const setup = await configureTenant(base);
  fakes.setApp({ webhookUrl: setup.webhookUrl, secret: SANDBOX.zoomWebhookSecret });
  const info = {
    running: true,
    runner_pid: process.pid,
    wrangler_pid: wranglerChild.pid,
    app_url: base,
    dashboard_url: `${base}/`,
    email: USER.email,
    password: USER.password,
    source_id: setup.sourceId,
    webhook_url: setup.webhookUrl,
    meeting_endpoint: `${fakes.zoom.url}/_sandbox/meetings`,
    simulators: { zoom: fakes.zoom.url, ai: fakes.ai.url, youtube: fakes.youtube.url },
  };
  writeFileSync(INFO_FILE, JSON.stringify(info, null, 2));

  // 4. how to use it
  console.log(`
──────────────── Lecture Publisher sandbox (simulated providers) — ready in ${elapsed()} ────────────────
  Dashboard   ${base}/          API docs ${base}/docs
  Sign in     ${USER.email}  /  ${USER.password}
  Connected   Sandbox Zoom (simulated) → source "${setup.sourceName}" (#${setup.sourceId})
              Sandbox transcription + chat (simulated, OpenAI-compatible) · Sandbox YouTube (simulated), default preset
  A meeting   npm run sandbox:meeting          (sends a signed recording.completed webhook for the next
              sample meeting, then follows it to READY; or: curl -X POST ${info.meeting_endpoint})
  Simulators  Zoom ${fakes.zoom.url} · AI ${fakes.ai.url} · YouTube ${fakes.youtube.url}
  Nothing leaves this machine: "published" videos exist only in the YouTube simulator (ids SIM…).
  Stop        Ctrl+C   (state kept in .wrangler/sandbox-state; delete it to start over)
──────────────────────────────────────────────────────────────────────────────────────────────────
`);
}

async function configureTenant(base) {
  let token = "";
  const api = async (method, route, body, { allow = [] } = {}) => {
    const response = await fetch(`${base}/api/v1${route}`, {
      method,
      signal: AbortSignal.timeout(60_000),
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok && !allow.includes(response.status)) throw new Error(`${method} /api/v1${route} → ${response.status}: ${text.slice(0, 400)}`);
    return text ? JSON.parse(text) : null;
  };
  const items = (page) => (Array.isArray(page) ? page : (page?.items ?? page?.data ?? []));

  await api("POST", "/auth/register", USER, { allow: [409, 429] });
  const login = await api("POST", "/auth/login", USER, { allow: [401] });
  if (!login?.access_token) throw new Error(`cannot sign in as ${USER.email} (password changed?): delete .wrangler/sandbox-state to start over`);
  token = login.access_token;
  // Confirm the e-mail address from the development outbox, so the dashboard shows no reminder.
  try {
    const me = await api("GET", "/users/me");
    if (me && me.email_verified === false) {
      const outbox = await api("GET", `/dev/outbox?to=${encodeURIComponent(USER.email)}`);
      const link = items(outbox).flatMap((m) => m.links ?? []).find((l) => l.includes("verify-email"));
      const verifyToken = link && new URLSearchParams(link.split("#")[1] ?? "").get("token");
      if (verifyToken) await api("POST", "/auth/verify-email", { token: verifyToken }, { allow: [400, 404, 410] });
    }
  } catch (error) {
    say(`(e-mail not confirmed automatically: ${error.message.split("\n")[0]})`);
  }

  const credentials = items(await api("GET", "/credentials"));
  const credential = async (platform, accountName, payload) => {
    const found = credentials.find((c) => c.platform === platform && c.account_name === accountName);
    if (found) return (await api("PATCH", `/credentials/${found.id}`, { credentials: payload, is_active: true })) ?? found;
    return api("POST", "/credentials", { platform, account_name: accountName, credentials: payload });
  };
  const zoom = await credential("zoom", "Sandbox Zoom (simulated)", { ...SANDBOX.zoom, webhook_secret_token: SANDBOX.zoomWebhookSecret });
  await credential("fireworks", "Sandbox transcription (simulated)", { api_key: SANDBOX.asrKey });
  await credential("deepseek", "Sandbox chat (simulated)", { api_key: SANDBOX.llmKey });
  const youtube = await credential("youtube", "Sandbox YouTube (simulated)", {
    client_id: "sandbox-google-client.simulated",
    client_secret: "sandbox-google-secret",
    access_token: SANDBOX.youtubeToken,
    refresh_token: "1//sandbox-refresh-token",
    expiry: "2099-01-01T00:00:00Z",
  });
  const test = await api("POST", `/credentials/${zoom.id}/test`, undefined, { allow: [400, 502, 503] });
  say(`Sandbox Zoom (simulated) connection test: ${test?.ok ? `ok (${test.account})` : JSON.stringify(test)}`);

  const presetName = "Sandbox YouTube channel (simulated)";
  const preset =
    items(await api("GET", "/presets")).find((p) => p.name === presetName) ??
    (await api("POST", "/presets", {
      name: presetName,
      platform: "youtube",
      credential_id: youtube.id,
      preset_metadata: { title_template: "{display_name} — {record_time:DD.MM.YYYY}", privacy: "unlisted" },
    }));
  const templateName = "Sandbox lectures (simulated)";
  if (!items(await api("GET", "/templates")).some((t) => t.name === templateName)) {
    await api("POST", "/templates", {
      name: templateName,
      matching_rules: { keywords: ["lecture"] },
      processing_config: { download: { auto_download: true, blank_min_duration_minutes: 0, blank_min_size_mb: 0 } },
    });
  }
  await api("PATCH", "/users/me/config", {
    processing: { padding_before: 1, padding_after: 1 },
    transcription: { provider: "fireworks", language: "en", topics_providers: ["deepseek"] },
    // The sample lecture is short and small: lower the blank thresholds (defaults 20 min / 25 MB).
    download: { auto_download: true, blank_min_duration_minutes: 0, blank_min_size_mb: 0 },
    upload: { auto_upload: true, default_platforms: ["youtube"], default_preset_ids: { youtube: preset.id } },
  });
  const sourceName = "Sandbox Zoom (simulated)";
  const source =
    items(await api("GET", "/sources")).find((s) => s.name === sourceName && (s.source_type ?? s.platform) === "ZOOM") ??
    (await api("POST", "/sources", { name: sourceName, platform: "ZOOM", credential_id: zoom.id }));
  if (source.credential_id !== undefined && source.credential_id !== zoom.id) await api("PATCH", `/sources/${source.id}`, { credential_id: zoom.id });
  const webhookUrl = source.webhook_url ?? `${base}/api/v1/webhooks/zoom/${source.id}`;
  return { sourceId: source.id, sourceName, webhookUrl };
}

main().catch(async (error) => {
  console.error(`[sandbox] ${error.message}`);
  await stopAll(1);
});
