// Search latency: one tenant with 100 000 recordings, 10 000 of them with an hour-long transcript
// (~60 000 characters of generated Russian/English text each), among other tenants, then
// GET /api/v1/search and GET /api/v1/recordings?search= through `wrangler dev` (autocannon), each
// p95 printed as a ratio to GET /api/v1/health's p95 in the same run.
// D1 and the tenants' SearchIndex objects are seeded with the sqlite3 CLI while the server is
// stopped (same schema and FTS5 tokenizer as the Durable Object; `apt-get install sqlite3`).
// Usage: node bench/search-latency.mjs [--recordings 100000 --transcripts 10000 --others 3 --duration 5 --connections 10]
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { startDevServer } from "./dev-server.mjs";
import { fmtRatio, measure, p95Of, ratio, runAutocannon } from "./ratio.mjs";
import { SUBJECTS } from "./search-corpus.mjs";
import { doDir, doFiles, passagesSql, sqliteStream } from "./search-seed.mjs";

const args = Object.fromEntries(process.argv.slice(2).reduce((p, a, i, all) => (a.startsWith("--") ? [...p, [a.slice(2), all[i + 1]]] : p), []));
const recordingsPerTenant = Number(args.recordings ?? 100_000);
const transcriptCount = Number(args.transcripts ?? 10_000);
const others = Number(args.others ?? 3);
const duration = Number(args.duration ?? 5);
const connections = Number(args.connections ?? 10);
const PORT = 8797;
// The config refuses to serve above 100 000 (every route, /health included, answers 503).
const VARS = { RATE_LIMIT_API_PER_MINUTE: "100000", RATE_LIMIT_AUTH_PER_WINDOW: "1000", LOG_LEVEL: "warn" };
const json = { "content-type": "application/json" };
const password = "Bench-Pass-2026";
const fold = (t) => t.replace(/ё/g, "е").replace(/Ё/g, "Е");
const q = (s) => (s === null ? "NULL" : `'${String(s).replace(/'/g, "''")}'`);

const d1File = (state) => {
  const dir = path.join(state, "v3", "d1", "miniflare-D1DatabaseObject");
  return path.join(dir, readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite"));
};
function sqlite(file, sql) {
  const r = spawnSync("sqlite3", ["-json", file], { input: sql, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw new Error(`sqlite3 is needed (apt-get install sqlite3): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

const api = async (base, p, init = {}) => {
  const r = await fetch(`${base}${p}`, { ...init, headers: { ...json, ...(init.headers ?? {}) } });
  const body = await r.json();
  if (!r.ok) throw new Error(`${p}: ${r.status} ${JSON.stringify(body)}`);
  return body;
};
const signIn = async (base, email) => (await api(base, "/api/v1/auth/login", { method: "POST", body: JSON.stringify({ email, password }) })).access_token;

function seedRecordingsSql(userId, count, t0) {
  const lines = ["BEGIN;"];
  for (let start = 0; start < count; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const name = fold(`Лекция ${i}: ${SUBJECTS[i % SUBJECTS.length]}`);
      const when = t0 + i * 60_000;
      rows.push(`('${userId}',${q(name)},${q(name.toLowerCase())},${when},3600,'READY',0,0,0,${i % 50 === 49 ? 1 : 0},'${i % 50 === 49 ? "soft" : "active"}',${when},${when})`);
    }
    lines.push(
      "INSERT INTO recordings (user_id, display_name, search_name, start_time, duration, status, failed, is_mapped, blank_record, deleted, delete_state, created_at, updated_at) VALUES " +
        rows.join(",") + ";",
    );
  }
  lines.push("COMMIT;");
  return lines.join("\n");
}

let server = await startDevServer({ port: PORT, vars: VARS, keepState: true });
const state = server.state;
try {
  // Each tenant's object is created (schema and all) by its first request; new files tell whose is whose.
  const tenants = [];
  for (let i = 0; i <= others; i++) {
    const email = `search-${i}-${Date.now()}@example.test`;
    const { id } = await api(server.baseUrl, "/api/v1/auth/register", { method: "POST", body: JSON.stringify({ email, password }) });
    const before = new Set(doFiles(state));
    await api(server.baseUrl, "/api/v1/search/status", { headers: { authorization: `Bearer ${await signIn(server.baseUrl, email)}` } });
    const file = doFiles(state).find((f) => !before.has(f));
    if (!file) throw new Error("the SearchIndex object left no SQLite file");
    tenants.push({ id, email, file: path.join(doDir(state), file), main: i === 0 });
  }
  await server.stop();

  const t0 = Date.parse("2024-01-01T00:00:00Z");
  const started = Date.now();
  for (const t of tenants) {
    const count = t.main ? recordingsPerTenant : Math.ceil(recordingsPerTenant / 20);
    sqlite(d1File(state), seedRecordingsSql(t.id, count, t0));
    const recordings = sqlite(d1File(state), `SELECT id, display_name, deleted FROM recordings WHERE user_id = '${t.id}' ORDER BY id`);
    const transcripts = t.main ? transcriptCount : Math.ceil(transcriptCount / 20);
    // The rare term: planted in 10 of the main tenant's transcripts (and in every other tenant's first few).
    const planted = new Set(Array.from({ length: 10 }, (_, k) => Math.floor((k * transcripts) / 10)));
    const s = Date.now();
    await sqliteStream(t.file, () => passagesSql(recordings, transcripts, planted));
    const stats = sqlite(t.file, "SELECT COUNT(*) AS passages, COUNT(DISTINCT id >> 20) AS recordings, (SELECT COUNT(*) FROM hidden) AS hidden FROM passages")[0];
    const bytes = statSync(t.file).size;
    t.bytes = bytes;
    console.log(`${t.main ? "tenant " : "other  "} ${count} recordings, ${transcripts} transcripts → ${stats.passages} passages, ${stats.hidden} hidden; index object ${(bytes / 1e6).toFixed(0)} MB (${((Date.now() - s) / 1000).toFixed(0)} s)`);
  }
  const main = tenants[0];
  const perTranscript = main.bytes / Math.max(1, transcriptCount);
  console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s; ≈ ${(perTranscript / 1e3).toFixed(0)} KB of index object per transcribed hour (text + FTS + titles)\n`);

  server = await startDevServer({ port: PORT, state, keepState: true, vars: VARS });
  const token = await signIn(server.baseUrl, main.email);
  const headers = { authorization: `Bearer ${token}` };
  const queries = [
    ["rare word in 10 transcripts", "/api/v1/search?q=%D0%93%D0%B0%D0%BC%D0%B8%D0%BB%D1%8C%D1%82%D0%BE%D0%BD%D0%B0"],
    ["common word (матрица)", `/api/v1/search?q=${encodeURIComponent("матрица ")}`],
    ["prefix лекци*", `/api/v1/search?q=${encodeURIComponent("лекци*")}`],
    ["phrase \"vector space\"", `/api/v1/search?q=${encodeURIComponent('"vector space"')}`],
    ["two words, last a prefix", `/api/v1/search?q=${encodeURIComponent("теорема гамильт")}`],
    ["English eigenvalues", "/api/v1/search?q=eigenvalues"],
    ["recordings?search=алгебра", `/api/v1/recordings?search=${encodeURIComponent("алгебра")}&per_page=20`],
    ["recordings?search= rare", `/api/v1/recordings?search=${encodeURIComponent("Лекция 4242")}&per_page=20`],
  ];
  console.log(`${connections} connections; /health: 2 s warm-up, then ${duration} s; each query: see below\n`);
  const health = await measure({ url: `${server.baseUrl}/api/v1/health`, connections }, { duration });
  if (health.non2xx) throw new Error(`GET /api/v1/health answered ${health.non2xx} non-2xx: no reference`);
  const healthP95 = p95Of(health);
  console.log(`reference GET /api/v1/health: ${health.requests.average.toFixed(0)} req/s, p95 ${healthP95.toFixed(1)} ms\n`);
  // A query slower than `duration / connections` cannot be measured by time: a timed autocannon run
  // reports only the requests that completed in it (such a query showed as 0 req/s and 0 ms), and the
  // requests a timed run abandons still run to their end in the tenant's object, ahead of the next
  // run's. So each query is measured by count: one request alone (nothing else in flight), a warm-up
  // of 1 per connection, then about `duration` seconds' worth of requests (at least 3 per connection)
  // at `connections`, every one waited for (timeout 120 s), timeouts and errors printed.
  const TIMEOUT_S = 120;
  console.log(`query                              req/s   p50 ms   p95 ms   p99 ms  alone ms  requests   results  errors   p95 / health`);
  for (const [name, p] of queries) {
    const url = `${server.baseUrl}${p}`;
    const t = performance.now();
    const first = await (await fetch(url, { headers })).json();
    const alone = performance.now() - t;
    await runAutocannon({ url, headers, connections, amount: connections, timeout: TIMEOUT_S });
    const amount = Math.min(5000, Math.max(3 * connections, Math.round((duration * 1000) / Math.max(alone, 1))));
    const r = await runAutocannon({ url, headers, connections, amount, timeout: TIMEOUT_S });
    const p95 = p95Of(r);
    console.log(
      `${name.padEnd(33)} ${r.requests.average.toFixed(1).padStart(6)} ${String(r.latency.p50).padStart(8)} ${p95.toFixed(1).padStart(8)} ${String(r.latency.p99).padStart(8)} ${alone.toFixed(0).padStart(9)} ${String(r.requests.total).padStart(9)} ${String(first.total ?? "?").padStart(9)} ${String(r.errors + r.timeouts).padStart(7)} ${fmtRatio(p95, healthP95).padStart(14)}${r.non2xx ? `  (${r.non2xx} non-2xx!)` : ""}`,
    );
    if (ratio(p95, healthP95) > 1e6) console.log(JSON.stringify(first).slice(0, 300));
  }
} finally {
  await server.stop();
  rmSync(state, { recursive: true, force: true });
}
