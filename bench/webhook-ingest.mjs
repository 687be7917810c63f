// Zoom webhook ingestion benchmark: signed `recording.completed` deliveries (each a new meeting), 50
// concurrent, against a local `wrangler dev`, in rounds each followed by /health at the same
// concurrency; then how many were persisted and turned into recordings by the queue consumer.
// Usage: npm run bench:webhooks  [-- --amount 2000 --connections 50 --rounds 4]
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

  // The idle reference: /health at the same concurrency before any delivery (the queue consumer idle).
  await runAutocannon({ url: `${server.baseUrl}/api/v1/health`, connections, amount: Math.min(amount, 500) });
  const idleHealth = await runAutocannon({ url: `${server.baseUrl}/api/v1/health`, connections, amount });

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
  const deliveries = (count) =>
    new Promise((resolve, reject) =>
      autocannon(
        {
          url: source.webhook_url,
          connections,
          amount: count,
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

  // Locally the queue consumer runs in the same workerd, on the same 2 cores, as the front door: it
  // persists and ingests the deliveries while later ones arrive (in production consumers run in
  // their own invocations). So the deliveries go in rounds, each followed by as many /health
  // requests at the same concurrency while the consumer is still busy with the backlog: every round
  // compares the ack with /health under the same background load.
  const perRound = Math.ceil(amount / rounds);
  const table = [];
  let deliverySeconds = 0;
  let non2xx = 0;
  for (let round = 1; round <= rounds; round++) {
    const started = Date.now();
    const hooks = await deliveries(perRound);
    deliverySeconds += (Date.now() - started) / 1000;
    non2xx += hooks.non2xx;
    const health = await runAutocannon({ url: `${server.baseUrl}/api/v1/health`, connections, amount: perRound });
    const backlog = perRound * round - countRows(server.state, "SELECT COUNT(*) FROM zoom_webhook_events");
    table.push({ round, hooks, health, backlog });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${perRound * rounds} signed deliveries in ${rounds} rounds, ${connections} concurrent; each round followed by ${perRound} GET /api/v1/health`);
  console.log("round   deliveries/s   p50 ms   p99 ms   |  /health p50   p99 ms   |  p99 ratio   not yet persisted");
  for (const { round, hooks, health, backlog } of table) {
    console.log(
      `${String(round).padStart(5)} ${hooks.requests.average.toFixed(0).padStart(14)} ${String(hooks.latency.p50).padStart(8)} ${String(hooks.latency.p99).padStart(8)}   | ` +
        `${String(health.latency.p50).padStart(12)} ${String(health.latency.p99).padStart(8)}   | ${ratio(hooks.latency.p99, health.latency.p99).toFixed(2).padStart(9)}× ${String(backlog).padStart(19)}`,
    );
  }
  const perSecond = (perRound * rounds) / deliverySeconds;
  const hookP99 = median(table.map((r) => r.hooks.latency.p99));
  const healthP99 = median(table.map((r) => r.health.latency.p99));
  const p99Ratio = ratio(hookP99, healthP99);
  const speedup = perSecond / BEFORE.deliveriesPerSecond;
  console.log(`non-2xx deliveries: ${non2xx}`);
  console.log(`reference GET /api/v1/health before any delivery (consumer idle): ${idleHealth.requests.average.toFixed(0)} req/s, p99 ${idleHealth.latency.p99} ms (ack p99 against it: ${ratio(hookP99, idleHealth.latency.p99).toFixed(2)}×)`);
  console.log(
    `row "Zoom webhook ack, ${connections} concurrent": p99 ${hookP99} ms vs /health p99 ${healthP99} ms in the same rounds (medians over ${rounds}) = ${p99Ratio.toFixed(2)}× ` +
      `(target ≤ 2×: ${verdict(p99Ratio, (x) => x <= 2)}); ${perSecond.toFixed(0)} deliveries/s = ${speedup.toFixed(1)}× the ${BEFORE.deliveriesPerSecond}/s before ` +
      `(target ≥ 5×: ${verdict(speedup, (x) => x >= 5)})`,
  );
  let recordings = 0;
  const waitStart = Date.now();
  for (let i = 0; i < 240; i++) {
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
