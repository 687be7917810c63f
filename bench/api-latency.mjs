// API latency benchmark: starts its own `wrangler dev` (port 8797, throwaway state), signs in a
// user, and drives GET /api/v1/health and GET /api/v1/users/me with autocannon.
// Usage: npm run bench:api  [-- --duration 10 --connections 10]
// The per-user API rate limit is raised for the run so the limiter is exercised but never trips.
import autocannon from "autocannon";
import { startDevServer } from "./dev-server.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const duration = Number(args.duration ?? 10);
const connections = Number(args.connections ?? 10);

function runAutocannon(options) {
  return new Promise((resolve, reject) => autocannon(options, (err, result) => (err ? reject(err) : resolve(result))));
}

const server = await startDevServer({
  port: 8797,
  vars: { RATE_LIMIT_API_PER_MINUTE: "100000", LOG_LEVEL: "warn" },
});
try {
  const email = `bench-${Date.now()}@example.test`;
  const password = "Bench-Pass-2026";
  const json = { "content-type": "application/json" };
  await fetch(`${server.baseUrl}/api/v1/auth/register`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
  const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
  const { access_token: token } = await login.json();
  if (!token) throw new Error(`login failed: ${login.status}`);

  const targets = [
    { name: "GET /api/v1/health", path: "/api/v1/health", headers: {} },
    { name: "GET /api/v1/users/me", path: "/api/v1/users/me", headers: { authorization: `Bearer ${token}` } },
  ];
  console.log(`wrangler dev (local workerd), ${connections} connections, ${duration} s per target, after a 3 s warm-up\n`);
  console.log("target                     req/s    p50 ms   p95 ms   p99 ms   non-2xx");
  for (const target of targets) {
    const common = { url: server.baseUrl + target.path, headers: target.headers, connections };
    await runAutocannon({ ...common, duration: 3 });
    const r = await runAutocannon({ ...common, duration });
    // autocannon reports p97.5 and p99 but not p95; interpolate p95 from its histogram points.
    const p95 = r.latency.p90 + ((r.latency.p97_5 - r.latency.p90) * (95 - 90)) / (97.5 - 90);
    console.log(
      `${target.name.padEnd(25)} ${r.requests.average.toFixed(0).padStart(6)} ${String(r.latency.p50).padStart(8)} ${p95
        .toFixed(1)
        .padStart(8)} ${String(r.latency.p99).padStart(8)} ${String(r.non2xx).padStart(9)}`,
    );
  }
} finally {
  await server.stop();
}
