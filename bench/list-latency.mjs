// Recording-list benchmark: 50 000 recordings for one tenant and 50 000 spread over ten others in
// local D1, then filtered, paginated GET /api/v1/recordings through `wrangler dev` (autocannon),
// and EXPLAIN QUERY PLAN of the queries behind them.
// Usage: npm run bench:list  [-- --per-tenant 50000 --duration 5 --connections 10]
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { startDevServer } from "./dev-server.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const perTenant = Number(args["per-tenant"] ?? 50_000);
const duration = Number(args.duration ?? 5);
const connections = Number(args.connections ?? 10);
const PORT = 8796;
const BENCH_VARS = { RATE_LIMIT_API_PER_MINUTE: "100000", RATE_LIMIT_AUTH_PER_WINDOW: "1000", LOG_LEVEL: "warn" };
const json = { "content-type": "application/json" };
const password = "Bench-Pass-2026";

/**
 * Local D1 is a SQLite file; while the dev server is stopped the bench writes and inspects it with
 * the sqlite3 CLI (`apt-get install sqlite3`), because `wrangler d1 execute --file` takes minutes to
 * split an 18 MB seed file.
 */
function sqliteFile(state) {
  const dir = path.join(state, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 database under ${dir}`);
  return path.join(dir, file);
}

function d1(state, flag, value) {
  const args = ["-json", sqliteFile(state)];
  const r = spawnSync("sqlite3", flag === "--file" ? args : [...args, value], {
    input: flag === "--file" ? value : undefined,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`sqlite3 is needed for this benchmark (apt-get install sqlite3): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return [{ results: r.stdout.trim() ? JSON.parse(r.stdout) : [] }];
}

const register = (base, email) =>
  fetch(`${base}/api/v1/auth/register`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) }).then((r) => r.json());

const SUBJECTS = ["Алгебра", "Геометрия", "Physics", "History", "Chemistry", "Программирование", "Biology", "Economics"];
const STATUSES = ["SKIPPED", "INITIALIZED", "DOWNLOADED", "PROCESSED", "TRANSCRIBED", "READY", "PENDING_SOURCE"];

function seedSql(userIds, templateIdsByUser, count) {
  const lines = [];
  const t0 = Date.parse("2025-01-01T00:00:00Z");
  for (const userId of userIds) {
    const n = userId === userIds[0] ? count : Math.ceil(count / (userIds.length - 1));
    const templates = templateIdsByUser.get(userId) ?? [];
    for (let start = 0; start < n; start += 500) {
      const rows = [];
      for (let i = start; i < Math.min(n, start + 500); i++) {
        const subject = SUBJECTS[i % SUBJECTS.length];
        const name = `Лекция ${i}: ${subject}`.replace(/'/g, "''");
        const when = t0 + Math.floor((i * 2 * 365 * 86_400_000) / n);
        const template = templates.length && i % 3 !== 0 ? templates[i % templates.length] : null;
        rows.push(
          `('${userId}','${name}','${name.toLowerCase()}',${when},${3600 + (i % 1800)},'${STATUSES[i % STATUSES.length]}',` +
            `${i % 20 === 0 ? 1 : 0},${template ? 1 : 0},${i % 10 === 0 ? 1 : 0},${i % 33 === 0 ? 1 : 0},` +
            `'${i % 33 === 0 ? "soft" : "active"}',${template ?? "NULL"},${when},${when})`,
        );
      }
      lines.push(
        "INSERT INTO recordings (user_id, display_name, search_name, start_time, duration, status, failed, is_mapped, " +
          "blank_record, deleted, delete_state, template_id, created_at, updated_at) VALUES\n" + rows.join(",\n") + ";",
      );
    }
  }
  return lines.join("\n");
}

function runAutocannon(options) {
  return new Promise((resolve, reject) => autocannon(options, (err, result) => (err ? reject(err) : resolve(result))));
}

let server = await startDevServer({ port: PORT, vars: BENCH_VARS, keepState: true });
const state = server.state;
try {
  const users = [];
  for (let i = 0; i < 11; i++) users.push((await register(server.baseUrl, `list-${i}-${Date.now()}@example.test`)).id);
  await server.stop();

  const templateIds = new Map();
  const now = Date.now();
  for (const userId of users.slice(0, 2)) {
    const values = Array.from({ length: 5 }, (_, i) => `('${userId}','Course ${i}',0,1,${now + i},${now + i})`).join(",");
    d1(state, "--command", `INSERT INTO recording_templates (user_id, name, is_draft, is_active, created_at, updated_at) VALUES ${values}`);
    const rows = d1(state, "--command", `SELECT id FROM recording_templates WHERE user_id = '${userId}' ORDER BY id`)[0].results;
    templateIds.set(userId, rows.map((r) => r.id));
  }
  const seeded = Date.now();
  d1(state, "--file", `BEGIN;\n${seedSql(users, templateIds, perTenant)}\nCOMMIT;`);
  const counts = d1(state, "--command", `SELECT user_id = '${users[0]}' AS mine, COUNT(*) AS n FROM recordings GROUP BY 1`)[0].results;
  console.log(`seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s: ${counts.map((c) => `${c.mine ? "tenant" : "others"} ${c.n}`).join(", ")}\n`);

  server = await startDevServer({ port: PORT, state, keepState: true, vars: BENCH_VARS });
  const email0 = d1(state, "--command", `SELECT email FROM users WHERE id = '${users[0]}'`)[0].results[0].email;
  const loginResponse = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ email: email0, password }),
  });
  const { access_token: token } = await loginResponse.json();
  if (!token) throw new Error(`login as ${email0} failed: ${loginResponse.status}`);
  const template = templateIds.get(users[0])[2];
  const queries = [
    ["default (newest first)", "per_page=20"],
    ["status=SKIPPED,FAILED", "status=SKIPPED,FAILED&per_page=20"],
    [`template_id, page 50`, `template_id=${template}&page=50&per_page=20`],
    ["search (Cyrillic)", "search=%D0%B0%D0%BB%D0%B3%D0%B5%D0%B1%D1%80%D0%B0&per_page=20"],
    ["one month, date range", "from_date=2025-06-01&to_date=30-06-2025&per_page=50"],
    ["mapped, oldest first, page 100", "mapped=true&order_by=created_at&order=asc&page=100&per_page=20"],
  ];
  console.log(`${connections} connections, ${duration} s per query, 2 s warm-up\n`);
  console.log("query                              req/s   p50 ms   p95 ms   p99 ms   total matched");
  for (const [name, q] of queries) {
    const url = `${server.baseUrl}/api/v1/recordings?${q}`;
    const headers = { authorization: `Bearer ${token}` };
    const total = (await (await fetch(url, { headers })).json()).total;
    await runAutocannon({ url, headers, connections, duration: 2 });
    const r = await runAutocannon({ url, headers, connections, duration });
    const p95 = r.latency.p90 + ((r.latency.p97_5 - r.latency.p90) * 5) / 7.5;
    console.log(
      `${name.padEnd(33)} ${r.requests.average.toFixed(0).padStart(6)} ${String(r.latency.p50).padStart(8)} ${p95.toFixed(1).padStart(8)} ${String(
        r.latency.p99,
      ).padStart(8)} ${String(total).padStart(15)}${r.non2xx ? `  (${r.non2xx} non-2xx!)` : ""}`,
    );
  }
  await server.stop();

  const scope = `user_id = '${users[0]}' AND deleted = 0 AND blank_record = 0`;
  const plans = [
    ["default page", `SELECT id FROM recordings WHERE ${scope} ORDER BY start_time DESC, id DESC LIMIT 20`],
    ["default count", `SELECT count(*) FROM recordings WHERE ${scope}`],
    ["status filter", `SELECT id FROM recordings WHERE ${scope} AND (status IN ('SKIPPED') OR failed = 1) ORDER BY start_time DESC LIMIT 20`],
    ["status only", `SELECT count(*) FROM recordings WHERE ${scope} AND status IN ('SKIPPED', 'READY')`],
    ["template filter", `SELECT count(*) FROM recordings WHERE ${scope} AND template_id = ${template}`],
    ["date range", `SELECT id FROM recordings WHERE ${scope} AND start_time >= 1748736000000 AND start_time <= 1751327999999 ORDER BY start_time DESC LIMIT 50`],
    ["output targets by status", `SELECT id FROM output_targets WHERE user_id = '${users[0]}' AND status = 'FAILED'`],
  ];
  console.log("\nEXPLAIN QUERY PLAN");
  for (const [name, sql] of plans) {
    const plan = spawnSync("sqlite3", [sqliteFile(state), `EXPLAIN QUERY PLAN ${sql}`], { encoding: "utf8" }).stdout;
    console.log(`  ${name}: ${plan.replace(/QUERY PLAN\n/, "").trim().replace(/\n/g, " ")}`);
  }
} finally {
  await server.stop(); // idempotent: a no-op when it already stopped
  rmSync(state, { recursive: true, force: true });
}
