// Zoom webhook ingestion benchmark: 50 concurrent signed `recording.completed` deliveries (each a
// new meeting) against a local `wrangler dev`, then how many were persisted and turned into
// recordings by the queue consumer.
// Usage: npm run bench:webhooks  [-- --amount 2000 --connections 50]
import { createHmac } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import autocannon from "autocannon";
import { startDevServer } from "./dev-server.mjs";
import { p95Of, ratio, runAutocannon, verdict } from "./ratio.mjs";

/** Issue 17's numbers from before the ack only enqueued (same machine, same bench). */
const BEFORE = { deliveriesPerSecond: 104, p99Ms: 918 };

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const amount = Number(args.amount ?? 2000);
const connections = Number(args.connections ?? 50);
const SECRET = "bench-webhook-secret";
const json = { "content-type": "application/json" };

function countRows(state, sql) {
  const dir = path.join(state, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  const r = spawnSync("sqlite3", [path.join(dir, file), sql], { encoding: "utf8" });
  return Number(r.stdout.trim());
}

const server = await startDevServer({
  port: 8795,
  keepState: true,
  vars: { RATE_LIMIT_API_PER_MINUTE: "100000", RATE_LIMIT_AUTH_PER_WINDOW: "1000", LOG_LEVEL: "warn" },
});
try {
  const email = `webhook-bench-${Date.now()}@example.test`;
  const password = "Bench-Pass-2026";
  await fetch(`${server.baseUrl}/api/v1/auth/register`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
  const { access_token: token } = await (
    await fetch(`${server.baseUrl}/api/v1/auth/login`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) })
  ).json();
  const auth = { ...json, authorization: `Bearer ${token}` };
  const credential = await (
    await fetch(`${server.baseUrl}/api/v1/credentials`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({
        platform: "zoom",
        credentials: { account_id: "bench-account", client_id: "bench-client", client_secret: "bench-client-secret", webhook_secret_token: SECRET },
      }),
    })
  ).json();
  const source = await (
    await fetch(`${server.baseUrl}/api/v1/sources`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "Bench Zoom", platform: "ZOOM", credential_id: credential.id }),
    })
  ).json();

  // The reference: /health at the same concurrency and the same number of requests, in this run.
  await runAutocannon({ url: `${server.baseUrl}/api/v1/health`, connections, amount: Math.min(amount, 500) });
  const health = await runAutocannon({ url: `${server.baseUrl}/api/v1/health`, connections, amount });

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
  const started = Date.now();
  const result = await new Promise((resolve, reject) =>
    autocannon(
      {
        url: source.webhook_url,
        connections,
        amount,
        requests: [
          {
            method: "POST",
            setupRequest: (req) => {
              const raw = body(n++);
              const ts = String(Math.floor(Date.now() / 1000));
              const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${raw}`).digest("hex")}`;
              return { ...req, body: raw, headers: { ...json, "x-zm-request-timestamp": ts, "x-zm-signature": signature } };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    ),
  );
  const seconds = (Date.now() - started) / 1000;
  const p95 = p95Of(result);
  const perSecond = amount / seconds;
  console.log(`${amount} signed deliveries, ${connections} concurrent, ${seconds.toFixed(1)} s`);
  console.log(`throughput ${perSecond.toFixed(0)} deliveries/s; latency p50 ${result.latency.p50} ms, p95 ${p95.toFixed(1)} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; non-2xx ${result.non2xx}`);
  console.log(`reference GET /api/v1/health, same concurrency: ${health.requests.average.toFixed(0)} req/s, p99 ${health.latency.p99} ms`);
  const p99Ratio = ratio(result.latency.p99, health.latency.p99);
  const speedup = perSecond / BEFORE.deliveriesPerSecond;
  console.log(
    `row "Zoom webhook ack, ${connections} concurrent": p99 ${result.latency.p99} ms vs /health p99 ${health.latency.p99} ms = ${p99Ratio.toFixed(2)}× ` +
      `(target ≤ 2×: ${verdict(p99Ratio, (x) => x <= 2)}); ${perSecond.toFixed(0)} deliveries/s = ${speedup.toFixed(1)}× the ${BEFORE.deliveriesPerSecond}/s before ` +
      `(target ≥ 5×: ${verdict(speedup, (x) => x >= 5)})`,
  );
  let recordings = 0;
  const waitStart = Date.now();
  for (let i = 0; i < 240; i++) {
    recordings = countRows(server.state, "SELECT COUNT(*) FROM recordings");
    if (recordings >= amount) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const events = countRows(server.state, "SELECT COUNT(*) FROM zoom_webhook_events");
  console.log(`persisted events ${events}; recordings created by the queue ${recordings} (${((Date.now() - waitStart) / 1000).toFixed(1)} s after the last delivery)`);
} finally {
  await server.stop();
  spawnSync("rm", ["-rf", server.state]);
}
