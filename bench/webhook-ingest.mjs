// Zoom webhook ingestion benchmark: signed `recording.completed` deliveries (each a new meeting), 50
// concurrent, against a local `wrangler dev`, each compared with GET /api/v1/health at the same
// concurrency in the same run. Two phases:
//  1. the front door alone: the Worker runs without its `lecture-pipeline` consumer (deliveries wait
//     in the local queue), /health first, then the deliveries — the ack's own cost and throughput;
//  2. with the consumer: deliveries in rounds, each followed by /health while the consumer works
//     through the backlog on the same 2 cores; then how many were persisted and turned into
//     recordings (nothing may be lost).
// Usage: npm run bench:webhooks  [-- --amount 2000 --connections 50 --rounds 4 --phases 1,2]
import { createHmac } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import autocannon from "autocannon";
import { startDevServer } from "./dev-server.mjs";
import { ratio, runAutocannon, verdict } from "./ratio.mjs";

/** Issue 17's numbers from before the ack only enqueued (same machine, same bench). */
const BEFORE = { deliveriesPerSecond: 104, p99Ms: 918 };

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const amount = Number(args.amount ?? 2000);
const connections = Number(args.connections ?? 50);
const rounds = Number(args.rounds ?? 4);
/** `--phases 1` runs the front door alone; the default runs both. */
const phases = String(args.phases ?? "1,2").split(",");
const SECRET = "bench-webhook-secret";
const json = { "content-type": "application/json" };
const VARS = { RATE_LIMIT_API_PER_MINUTE: "100000", RATE_LIMIT_AUTH_PER_WINDOW: "1000", LOG_LEVEL: "warn" };

function countRows(state, sql) {
  const dir = path.join(state, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  const r = spawnSync("sqlite3", [path.join(dir, file), sql], { encoding: "utf8" });
  return Number(r.stdout.trim());
}

/** A user with Zoom credentials and a ZOOM source; answers the source's webhook URL. */
async function zoomSource(baseUrl) {
  const post = async (p, body, headers = json) => (await fetch(`${baseUrl}${p}`, { method: "POST", headers, body: JSON.stringify(body) })).json();
  const email = `webhook-bench-${Date.now()}@example.test`;
  const password = "Bench-Pass-2026";
  await post("/api/v1/auth/register", { email, password });
  const { access_token: token } = await post("/api/v1/auth/login", { email, password });
  const auth = { ...json, authorization: `Bearer ${token}` };
  const credential = await post(
    "/api/v1/credentials",
    { platform: "zoom", credentials: { account_id: "bench-account", client_id: "bench-client", client_secret: "bench-client-secret", webhook_secret_token: SECRET } },
    auth,
  );
  const source = await post("/api/v1/sources", { name: "Bench Zoom", platform: "ZOOM", credential_id: credential.id }, auth);
  return source.webhook_url;
}

let n = 0;
const body = (i) =>
  JSON.stringify({
    event: "recording.completed",
    event_ts: Date.now(),
    payload: {
      account_id: "bench-account",
      object: {
        uuid: `bench-${i}==`,
        id: 80000000000 + i,
        topic: `Lecture ${i}`,
        start_time: "2026-11-20T10:00:00Z",
        duration: 90,
        recording_files: [
          { id: `bench-${i}-mp4`, file_type: "MP4", file_size: 400000000, recording_type: "shared_screen_with_speaker_view", status: "completed", download_url: "https://zoom.us/rec/webhook_download/x" },
          { id: `bench-${i}-m4a`, file_type: "M4A", file_size: 80000000, recording_type: "audio_only", status: "completed", download_url: "https://zoom.us/rec/webhook_download/y" },
        ],
      },
    },
    download_token: "bench-download-token",
  });

/**
 * `count` signed deliveries (new meetings) at `connections`; resolves autocannon's result and the
 * wall seconds. Bodies and signatures are made before the clock starts, so the load generator's own
 * JSON and HMAC work (on the same 2 cores) is not counted against the Worker — /health's requests
 * cost the generator nothing either. Timestamps stay well inside Zoom's ±5 min window.
 */
async function deliveries(url, count) {
  const ts = String(Math.floor(Date.now() / 1000));
  const signed = Array.from({ length: count }, () => {
    const raw = body(n++);
    const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${raw}`).digest("hex")}`;
    return { body: raw, headers: { ...json, "x-zm-request-timestamp": ts, "x-zm-signature": signature } };
  });
  let next = 0;
  const started = Date.now();
  const result = await new Promise((resolve, reject) =>
    autocannon(
      {
        url,
        connections,
        amount: count,
        requests: [{ method: "POST", setupRequest: (req) => ({ ...req, ...signed[next++ % count] }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    ),
  );
  return { result, seconds: (Date.now() - started) / 1000 };
}

const healthRun = (baseUrl, count) => runAutocannon({ url: `${baseUrl}/api/v1/health`, connections, amount: count });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function printRow(label, p99, healthP99, perSecond) {
  const p99Ratio = ratio(p99, healthP99);
  const speedup = perSecond / BEFORE.deliveriesPerSecond;
  console.log(
    `row "Zoom webhook ack, ${connections} concurrent" (${label}): p99 ${p99} ms vs /health p99 ${healthP99} ms = ${p99Ratio.toFixed(2)}× ` +
      `(target ≤ 2×: ${verdict(p99Ratio, (x) => x <= 2)}); ${perSecond.toFixed(0)} deliveries/s = ${speedup.toFixed(1)}× the ${BEFORE.deliveriesPerSecond}/s before ` +
      `(target ≥ 5×: ${verdict(speedup, (x) => x >= 5)})\n`,
  );
}

/** Phase 1: the front door alone. */
async function frontDoor() {
  const server = await startDevServer({ port: 8795, vars: VARS, withoutPipelineConsumer: true });
  try {
    const url = await zoomSource(server.baseUrl);
    await healthRun(server.baseUrl, Math.min(amount, 500));
    const health = await healthRun(server.baseUrl, amount);
    await deliveries(url, Math.min(amount, 500)); // warm-up, like /health's
    const { result, seconds } = await deliveries(url, amount);
    console.log(`phase 1, without the queue consumer: ${amount} signed deliveries, ${connections} concurrent, ${seconds.toFixed(1)} s; non-2xx ${result.non2xx}`);
    console.log(`  deliveries: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
    console.log(`  GET /api/v1/health before them: ${health.requests.average.toFixed(0)} req/s, p50 ${health.latency.p50} ms, p99 ${health.latency.p99} ms`);
    printRow("front door alone", result.latency.p99, health.latency.p99, amount / seconds);
  } finally {
    await server.stop();
  }
}

/** Phase 2: with the consumer persisting and ingesting on the same cores. */
async function withConsumer() {
  const server = await startDevServer({ port: 8795, keepState: true, vars: VARS });
  try {
    const url = await zoomSource(server.baseUrl);
    await healthRun(server.baseUrl, Math.min(amount, 500));
    const idleHealth = await healthRun(server.baseUrl, amount);
    const perRound = Math.ceil(amount / rounds);
    const table = [];
    let deliverySeconds = 0;
    let non2xx = 0;
    for (let round = 1; round <= rounds; round++) {
      const { result: hooks, seconds } = await deliveries(url, perRound);
      deliverySeconds += seconds;
      non2xx += hooks.non2xx;
      const health = await healthRun(server.baseUrl, perRound);
      const backlog = perRound * round - countRows(server.state, "SELECT COUNT(*) FROM zoom_webhook_events");
      table.push({ round, hooks, health, backlog, perSecond: perRound / seconds });
    }
    console.log(`phase 2, with the queue consumer: ${perRound * rounds} signed deliveries in ${rounds} rounds, each followed by ${perRound} GET /api/v1/health; non-2xx ${non2xx}`);
    console.log("round   deliveries/s   p50 ms   p99 ms   |  /health p50   p99 ms   |  p99 ratio   not yet persisted");
    for (const { round, hooks, health, backlog, perSecond } of table) {
      console.log(
        `${String(round).padStart(5)} ${perSecond.toFixed(0).padStart(14)} ${String(hooks.latency.p50).padStart(8)} ${String(hooks.latency.p99).padStart(8)}   | ` +
          `${String(health.latency.p50).padStart(12)} ${String(health.latency.p99).padStart(8)}   | ${ratio(hooks.latency.p99, health.latency.p99).toFixed(2).padStart(9)}× ${String(backlog).padStart(19)}`,
      );
    }
    const hookP99 = median(table.map((r) => r.hooks.latency.p99));
    console.log(`  GET /api/v1/health before any delivery (consumer idle): ${idleHealth.requests.average.toFixed(0)} req/s, p99 ${idleHealth.latency.p99} ms (the ack's median p99 against it: ${ratio(hookP99, idleHealth.latency.p99).toFixed(2)}×)`);
    printRow(`with the consumer, medians over ${rounds} rounds`, hookP99, median(table.map((r) => r.health.latency.p99)), (perRound * rounds) / deliverySeconds);

    let recordings = 0;
    const waitStart = Date.now();
    for (let i = 0; i < 480; i++) {
      recordings = countRows(server.state, "SELECT COUNT(*) FROM recordings");
      if (recordings >= perRound * rounds) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const events = countRows(server.state, "SELECT COUNT(*) FROM zoom_webhook_events");
    console.log(`persisted events ${events}; recordings created by the queue ${recordings} (${((Date.now() - waitStart) / 1000).toFixed(1)} s after the last delivery)`);
  } finally {
    await server.stop();
    spawnSync("rm", ["-rf", server.state]);
  }
}

if (phases.includes("1")) await frontDoor();
if (phases.includes("2")) await withConsumer();
