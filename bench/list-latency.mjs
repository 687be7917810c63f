// Recording-list benchmark: 100 000 recordings for one tenant and 100 000 spread over ten others in
// local D1, then filtered, paginated GET /api/v1/recordings through `wrangler dev` (autocannon),
// each as a ratio against GET /api/v1/health measured in the same run (issue 17: p95 ≤ 2×), and
// EXPLAIN QUERY PLAN of the query behind every list filter and sort order.
// Usage: npm run bench:list  [-- --per-tenant 100000 --duration 5 --connections 10]
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { startDevServer } from "./dev-server.mjs";
import { doDir, doFiles, passagesSql, sqliteStream } from "./search-seed.mjs";
import { fmtRatio, measure, p95Of, ratio, verdict } from "./ratio.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const perTenant = Number(args["per-tenant"] ?? 100_000);
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

async function signIn(base, email) {
  const response = await fetch(`${base}/api/v1/auth/login`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
  const { access_token: token } = await response.json();
  if (!token) throw new Error(`login as ${email} failed: ${response.status}`);
  return token;
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

let server = await startDevServer({ port: PORT, vars: BENCH_VARS, keepState: true });
const state = server.state;
try {
  const users = [];
  for (let i = 0; i < 11; i++) users.push((await register(server.baseUrl, `list-${i}-${Date.now()}@example.test`)).id);
  // The tenant's SearchIndex object is created (schema and all) by its first request.
  const before = new Set(doFiles(state));
  const firstEmail = d1(state, "--command", `SELECT email FROM users WHERE id = '${users[0]}'`)[0].results[0].email;
  await fetch(`${server.baseUrl}/api/v1/search/status`, { headers: { authorization: `Bearer ${await signIn(server.baseUrl, firstEmail)}` } });
  const indexFile = doFiles(state).find((f) => !before.has(f));
  if (!indexFile) throw new Error("the SearchIndex object left no SQLite file");
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
  // Every READY recording was published to YouTube: the list shows each page's outputs.
  d1(
    state,
    "--command",
    "INSERT INTO output_targets (recording_id, user_id, target_type, status, target_meta, created_at, updated_at) " +
      "SELECT id, user_id, 'YOUTUBE', 'UPLOADED', '{\"video_url\":\"https://youtu.be/x\"}', created_at, created_at FROM recordings WHERE status = 'READY'",
  );
  // The tenant's titles in its full-text index, as the queue would have indexed them.
  const titles = d1(state, "--command", `SELECT id, display_name, deleted FROM recordings WHERE user_id = '${users[0]}' ORDER BY id`)[0].results;
  await sqliteStream(path.join(doDir(state), indexFile), () => passagesSql(titles, 0, new Set()));
  const counts = d1(state, "--command", `SELECT user_id = '${users[0]}' AS mine, COUNT(*) AS n FROM recordings GROUP BY 1`)[0].results;
  const tallies = d1(state, "--command", `SELECT count(*) AS n FROM recording_tallies WHERE user_id = '${users[0]}'`)[0].results[0].n;
  const outputs = d1(state, "--command", `SELECT count(*) AS n FROM output_targets WHERE user_id = '${users[0]}'`)[0].results[0].n;
  console.log(
    `seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s: ${counts.map((c) => `${c.mine ? "tenant" : "others"} ${c.n}`).join(", ")} (the tenant's with ${outputs} outputs); ` +
      `the tenant's recordings fall in ${tallies} tally rows; ${titles.length} titles in its search index\n`,
  );

  server = await startDevServer({ port: PORT, state, keepState: true, vars: BENCH_VARS });
  const token = await signIn(server.baseUrl, firstEmail);
  const template = templateIds.get(users[0])[2];
  let newSearch = 1000;
  const queries = [
    ["default (newest first)", "per_page=20"],
    ["status=SKIPPED,FAILED", "status=SKIPPED,FAILED&per_page=20"],
    [`template_id, page 50`, `template_id=${template}&page=50&per_page=20`],
    ["search (Cyrillic)", "search=%D0%B0%D0%BB%D0%B3%D0%B5%D0%B1%D1%80%D0%B0&per_page=20"],
    // The isolate reuses a name match for 5 s (the row above mostly measures that): here every
    // request is a new search ("лекция 1000", "лекция 1001" …), so each one asks the index object.
    ["search, a new one every request", () => `search=${encodeURIComponent(`лекция ${newSearch++}`)}&per_page=20`],
    ["one month, date range", "from_date=2025-06-01&to_date=30-06-2025&per_page=50"],
    ["mapped, oldest first, page 100", "mapped=true&order_by=created_at&order=asc&page=100&per_page=20"],
  ];
  console.log(`${connections} connections, ${duration} s per query, 2 s warm-up\n`);
  const health = await measure({ url: `${server.baseUrl}/api/v1/health`, connections }, { duration });
  const healthP95 = p95Of(health);
  console.log(`reference GET /api/v1/health: ${health.requests.average.toFixed(0)} req/s, p95 ${healthP95.toFixed(1)} ms`);
  // A second reference: the cheapest request that reaches the stores at all (one D1 `SELECT 1` and one
  // R2 HEAD, in parallel). Locally every D1 call crosses into the simulator's own object, which costs
  // CPU on the same cores; this shows how much of a list answer is that floor.
  const ready = await measure({ url: `${server.baseUrl}/api/v1/health/ready`, connections }, { duration });
  const readyP95 = p95Of(ready);
  console.log(`reference GET /api/v1/health/ready (one D1 SELECT 1 + one R2 HEAD): ${ready.requests.average.toFixed(0)} req/s, p95 ${readyP95.toFixed(1)} ms (${fmtRatio(readyP95, healthP95)} /health)\n`);
  console.log("query                              req/s   p50 ms   p95 ms   p99 ms   total matched   p95 / health   p95 / ready");
  let worst = 0;
  for (const [name, q] of queries) {
    const query = () => (typeof q === "function" ? q() : q);
    const url = `${server.baseUrl}/api/v1/recordings?${query()}`;
    const headers = { authorization: `Bearer ${token}` };
    const total = (await (await fetch(url, { headers })).json()).total;
    const requests = [{ setupRequest: (req) => ({ ...req, path: `/api/v1/recordings?${query()}` }) }];
    const r = await measure({ url, headers, connections, requests }, { duration });
    const p95 = p95Of(r);
    worst = Math.max(worst, ratio(p95, healthP95));
    console.log(
      `${name.padEnd(33)} ${r.requests.average.toFixed(0).padStart(6)} ${String(r.latency.p50).padStart(8)} ${p95.toFixed(1).padStart(8)} ${String(
        r.latency.p99,
      ).padStart(8)} ${String(total).padStart(15)} ${fmtRatio(p95, healthP95).padStart(14)} ${fmtRatio(p95, readyP95).padStart(13)}${r.non2xx ? `  (${r.non2xx} non-2xx!)` : ""}`,
    );
  }
  console.log(`\nrow "GET /recordings, ${perTenant} + ${perTenant} rows": worst p95 ${worst.toFixed(2)}× /health (target ≤ 2×: ${verdict(worst, (x) => x <= 2)})`);
  await server.stop();

  const scope = `user_id = '${users[0]}' AND deleted = 0 AND blank_record = 0`;
  const page = (where, order = "start_time DESC, id DESC", limit = 20) => `SELECT id FROM recordings WHERE ${scope}${where} ORDER BY ${order} LIMIT ${limit}`;
  const total = (where) => `SELECT count(*) FROM recordings WHERE ${scope}${where}`;
  // Totals of equality filters are summed from recording_tallies (migration 0017); a date range is counted.
  const tally = (where) => `SELECT coalesce(sum(n), 0) FROM recording_tallies WHERE ${scope}${where}`;
  // Every filter of GET /recordings (and every sort order), page and count, as the repository builds them.
  const plans = [
    ["default page (start_time desc)", page("")],
    ["default count (tallies)", tally("")],
    ["status=SKIPPED,FAILED page", page(" AND (status IN ('SKIPPED') OR failed = 1)")],
    ["status=SKIPPED,FAILED count (tallies)", tally(" AND (status IN ('SKIPPED') OR failed = 1)")],
    ["status=READY page", page(" AND status IN ('READY')")],
    ["status=READY count (tallies)", tally(" AND status IN ('READY')")],
    ["failed=true page", page(" AND failed = 1")],
    ["template_id page", page(` AND template_id = ${template}`)],
    ["template_id count (tallies)", tally(` AND template_id = ${template}`)],
    ["source_id page", page(" AND input_source_id = 1")],
    ["mapped=true page", page(" AND is_mapped = 1")],
    ["mapped=true, created_at asc", page(" AND is_mapped = 1", "created_at ASC, id ASC")],
    ["date range page", page(" AND start_time >= 1748736000000 AND start_time <= 1751327999999", "start_time DESC, id DESC", 50)],
    ["date range count", total(" AND start_time >= 1748736000000 AND start_time <= 1751327999999")],
    ["search, over 500 ids from the index: page", page(` AND id IN (SELECT value FROM json_each('[1,2,3]'))`)],
    ["search, over 500 ids: count", total(` AND id IN (SELECT value FROM json_each('[1,2,3]'))`)],
    // Up to 500 ids the repository writes `+user_id`, so they are looked up by primary key.
    ["search, a few ids: page", page(" AND id IN (1,2,3)").replace("WHERE user_id", "WHERE +user_id")],
    ["search, a few ids: count", total(" AND id IN (1,2,3)").replace("WHERE user_id", "WHERE +user_id")],
    ["output targets of the page", `SELECT id FROM output_targets WHERE +user_id = '${users[0]}' AND recording_id IN (${page("")})`],
    ["order_by=updated_at", page("", "updated_at DESC, id DESC")],
    ["order_by=display_name", page("", "search_name ASC, id ASC")],
    ["order_by=duration", page("", "duration DESC, id DESC")],
    ["include_deleted", `SELECT id FROM recordings WHERE user_id = '${users[0]}' AND blank_record = 0 ORDER BY start_time DESC, id DESC LIMIT 20`],
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
