// API latency benchmark: starts its own `wrangler dev` (port 8797, throwaway state), signs in a
// user, and drives GET /api/v1/health and GET /api/v1/users/me with autocannon.
// Usage: npm run bench:api  [-- --duration 10 --connections 10 --rounds 3]
// The two targets alternate for `rounds` rounds and each is reported by its median round, so a
// change in the machine's load during the run falls on both alike.
// The per-user API rate limit is raised for the run so the limiter is exercised but never trips.
import { startDevServer } from "./dev-server.mjs";
import { measure, p95Of, ratio, verdict } from "./ratio.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const duration = Number(args.duration ?? 10);
const connections = Number(args.connections ?? 10);
const rounds = Number(args.rounds ?? 3);

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

  const health = { name: "GET /api/v1/health", path: "/api/v1/health", headers: {} };
  const me = { name: "GET /api/v1/users/me", path: "/api/v1/users/me", headers: { authorization: `Bearer ${token}` } };
  console.log(`wrangler dev (local workerd), ${connections} connections, ${duration} s per target and round, ${rounds} alternating rounds, each after a 3 s warm-up\n`);
  console.log("target                     round   req/s    p50 ms   p95 ms   p99 ms   non-2xx");
  const runs = new Map([
    [health, []],
    [me, []],
  ]);
  for (let round = 1; round <= rounds; round++) {
    for (const target of [health, me]) {
      const r = await measure({ url: server.baseUrl + target.path, headers: target.headers, connections }, { warmup: 3, duration });
      runs.get(target).push(r);
      console.log(
        `${target.name.padEnd(25)} ${String(round).padStart(6)} ${r.requests.average.toFixed(0).padStart(7)} ${String(r.latency.p50).padStart(8)} ${p95Of(r)
          .toFixed(1)
          .padStart(8)} ${String(r.latency.p99).padStart(8)} ${String(r.non2xx).padStart(9)}`,
      );
    }
  }
  /** The round with the median p95 of each target. */
  const results = new Map([...runs].map(([target, rs]) => [target, [...rs].sort((a, b) => p95Of(a) - p95Of(b))[Math.floor(rs.length / 2)]]));
  // Issue 17, row 1: GET /users/me p95 against /health p95 in the same run (target ≤ 1.5×).
  const meP95 = p95Of(results.get(me));
  const healthP95 = p95Of(results.get(health));
  const q = ratio(meP95, healthP95);
  console.log(
    `\nrow "GET /users/me" (median rounds): p95 ${meP95.toFixed(1)} ms vs /health ${healthP95.toFixed(1)} ms = ${q.toFixed(2)}× (target ≤ 1.5×: ${verdict(q, (x) => x <= 1.5)}); ` +
      `${results.get(me).requests.average.toFixed(0)} vs ${results.get(health).requests.average.toFixed(0)} req/s`,
  );
} finally {
  await server.stop();
}
