// `npm run sandbox:meeting`: the next sample meeting "arrives" in the running sandbox. The Sandbox
// Zoom (simulated) adds it to its recordings and sends the app a signed `recording.completed`
// webhook; then this follows the recording through the pipeline until READY (or it fails).
//
// Options: --no-wait (only send the webhook), --timeout-min 5.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({ options: { "no-wait": { type: "boolean", default: false }, "timeout-min": { type: "string", default: "5" } } });
const INFO_FILE = ".wrangler/sandbox-state/sandbox.json";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!existsSync(INFO_FILE)) {
  console.error("No sandbox here yet: start it with `npm run dev:sandbox` (in another terminal).");
  process.exit(1);
}
const info = JSON.parse(readFileSync(INFO_FILE, "utf8"));
let sent;
try {
  const response = await fetch(info.meeting_endpoint, { method: "POST", signal: AbortSignal.timeout(30_000) });
  sent = await response.json();
  if (!response.ok) throw new Error(`${response.status}: ${JSON.stringify(sent)}`);
} catch (error) {
  console.error(`Could not reach the sandbox at ${info.meeting_endpoint} (${error.message}). Is \`npm run dev:sandbox\` running?`);
  process.exit(1);
}
const t0 = Date.now();
console.log(`Sandbox Zoom (simulated): "${sent.meeting.topic}" (${sent.meeting.uuid}) — signed recording.completed webhook → ${sent.webhook.url}: ${sent.webhook.status}`);
if (args["no-wait"]) process.exit(0);

const api = async (method, route, body, token) => {
  const response = await fetch(`${info.app_url}/api/v1${route}`, {
    method,
    signal: AbortSignal.timeout(10_000),
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} → ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
};
const { access_token: token } = await api("POST", "/auth/login", { email: info.email, password: info.password });
const deadline = Date.now() + Number(args["timeout-min"]) * 60_000;
let id = null;
let last = "";
let detail = null;
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
while (Date.now() < deadline) {
  await sleep(700);
  try {
    if (id === null) {
      const page = await api("GET", "/recordings?per_page=20&order_by=created_at&include_blank=true", undefined, token);
      // The topics repeat every few arrivals: the newest recording of this topic made since the webhook.
      id = (page.items ?? []).find((r) => r.display_name === sent.meeting.topic && Date.parse(r.created_at) >= t0 - 5000)?.id ?? null;
      if (id === null) continue;
      console.log(`  +${secs()} s recording #${id}: ${info.app_url}/recordings/${id}`);
    }
    detail = await api("GET", `/recordings/${id}`, undefined, token);
  } catch (error) {
    if (error?.name === "TimeoutError") continue;
    throw error;
  }
  const run = detail.latest_run;
  const where = `${detail.status}${run?.current_stage ? ` (stage ${run.current_stage})` : ""}`;
  if (where !== last) console.log(`  +${secs()} s ${where}`);
  last = where;
  if (detail.status === "READY") break;
  if (detail.status === "SKIPPED") {
    console.log(`  skipped: ${detail.skip_reason}`);
    process.exit(2);
  }
  if (detail.failed || run?.status === "FAILED" || run?.status === "CANCELLED") {
    console.log(`  stopped: ${run?.status ?? "FAILED"} at ${detail.failed_at_stage ?? run?.current_stage}: ${detail.failed_reason ?? run?.error}`);
    process.exit(2);
  }
}
if (detail?.status !== "READY") {
  console.log(`  not READY after ${args["timeout-min"]} min (${last})`);
  process.exit(2);
}
const topics = await api("GET", `/recordings/${id}/topics`, undefined, token).catch(() => null);
const trim = detail.processing_stages?.find((s) => s.stage_type === "TRIM")?.meta?.cut ?? detail.trim_info ?? null;
console.log(`READY in ${secs()} s.`);
if (trim) console.log(`  trimmed: ${JSON.stringify(trim)}`);
const version = topics?.versions?.find((v) => v.is_active) ?? topics?.versions?.at(-1);
if (version) {
  const clock = (s) => new Date(Math.round(s) * 1000).toISOString().slice(11, 19);
  console.log(`  topic: ${(version.main_topics ?? []).join("; ")} (${version.provider}, simulated)`);
  for (const c of version.topic_timestamps ?? []) console.log(`  chapter ${clock(c.start)} ${c.topic}`);
}
for (const o of detail.outputs ?? []) console.log(`  output: ${o.target_type} ${o.status} ${o.target_meta?.video_url ?? o.url ?? o.video_url ?? ""} (simulated — nothing was published)`);
