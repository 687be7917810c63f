// Dashboard list benchmark: 10 000 recordings for one user in local D1, then the built dashboard's
// /recordings page in Chromium (playwright-core) through `wrangler dev`: the time from navigation
// start until the table's rows are on screen, and until a click on a row's checkbox is handled (the
// selection toolbar shows), against references measured in the same run — an in-page fetch of
// GET /api/v1/health and the same page with a filter that matches nothing (an empty list).
// Ratios are printed, nothing is asserted. Needs `npm run build:web` first (it serves web/dist),
// the sqlite3 CLI and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
// Usage: npm run bench:dashboard  [-- --recordings 10000 --runs 5]
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { startDevServer } from "./dev-server.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const recordings = Number(args.recordings ?? 10_000);
const runs = Number(args.runs ?? 5);
const PORT = 8797;
const BENCH_VARS = { RATE_LIMIT_API_PER_MINUTE: "100000", RATE_LIMIT_AUTH_PER_WINDOW: "1000", LOG_LEVEL: "warn" };
const PASSWORD = "Bench-Pass-2026";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TARGET_MS = 1000;

if (!existsSync("web/dist/index.html")) throw new Error("build the dashboard first: npm run build:web");

/** Local D1 is a SQLite file; it is seeded with the sqlite3 CLI while the dev server is stopped (as bench/list-latency.mjs does). */
function sqlite(state, sql) {
  const dir = path.join(state, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  const r = spawnSync("sqlite3", [path.join(dir, file)], { input: sql, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`sqlite3 is needed for this benchmark (apt-get install sqlite3): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
}

const SUBJECTS = ["Алгебра", "Geometry", "Physics", "History", "Chemistry", "Программирование", "Biology", "Economics"];
const STATUSES = ["DOWNLOADED", "PROCESSED", "TRANSCRIBED", "READY", "UPLOADED", "SKIPPED"];

function seedSql(userId, n) {
  const t0 = Date.parse("2025-01-01T00:00:00Z");
  const statements = [];
  for (let start = 0; start < n; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + 500); i++) {
      const name = `Лекция ${i}: ${SUBJECTS[i % SUBJECTS.length]}`;
      const when = t0 + Math.floor((i * 365 * 86_400_000) / n);
      rows.push(
        `('${userId}','${name}','${name.toLowerCase()}',${when},${3600 + (i % 1800)},'${STATUSES[i % STATUSES.length]}',${i % 25 === 0 ? 1 : 0},0,0,0,'active',${when},${when})`,
      );
    }
    statements.push(
      "INSERT INTO recordings (user_id, display_name, search_name, start_time, duration, status, failed, is_mapped, blank_record, deleted, delete_state, created_at, updated_at) VALUES\n" +
        rows.join(",\n") +
        ";",
    );
  }
  return `BEGIN;\n${statements.join("\n")}\nCOMMIT;`;
}

// Marks, in the page, when the table first has its rows and when the selection toolbar appears.
const MARKS = () => {
  const marks = {};
  window.__marks = marks;
  const observer = new MutationObserver(() => {
    const rows = document.querySelectorAll("tbody tr input[type=checkbox]").length;
    if (marks.rows === undefined && rows > 0) marks.rows = performance.now();
    if (marks.empty === undefined && [...document.querySelectorAll("h2")].some((h) => h.textContent?.includes("No recordings match"))) marks.empty = performance.now();
    if (marks.selected === undefined && document.querySelector('[role="region"][aria-label="Actions on the selected recordings"]')) marks.selected = performance.now();
  });
  observer.observe(document, { childList: true, subtree: true });
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(0).padStart(5)} ms`;
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

let server = await startDevServer({ port: PORT, vars: BENCH_VARS, keepState: true, frozenAssets: true });
const state = server.state;
let browser;
try {
  const email = `dashboard-${Date.now()}@example.test`;
  const registered = await fetch(`${server.baseUrl}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const { id: userId } = await registered.json();
  if (!userId) throw new Error(`register failed: ${registered.status}`);
  await server.stop();
  const seeded = Date.now();
  sqlite(state, seedSql(userId, recordings));
  console.log(`seeded ${recordings} recordings for one user in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  server = await startDevServer({ port: PORT, state, keepState: true, vars: BENCH_VARS, frozenAssets: true });

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 800 }, locale: "en-US" });
  await context.addInitScript(MARKS);
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();
  const total = await page.evaluate(async () => {
    const r = await fetch("/api/v1/health");
    return r.status;
  });
  if (total !== 200) throw new Error(`health answered ${total}`);

  /** A fresh navigation (the session restored from its cookie, as on any page load); the marks it left. */
  async function open(url, until) {
    await page.goto(url, { waitUntil: "commit" });
    if (until === "empty") await page.getByRole("heading", { name: "No recordings match these filters." }).waitFor();
    else {
      await page.getByRole("checkbox", { name: /^Select Лекция/ }).first().waitFor();
      await page.getByRole("checkbox", { name: /^Select Лекция/ }).first().click();
      await page.getByRole("region", { name: "Actions on the selected recordings" }).waitFor();
    }
    return page.evaluate(() => ({ ...window.__marks }));
  }

  const health = [];
  const empty = [];
  const lists = { 20: { rows: [], interactive: [] }, 100: { rows: [], interactive: [] } };
  await open("/recordings", "rows"); // warm-up: first compile of the route chunks, caches
  for (let i = 0; i < runs; i++) {
    health.push(
      await page.evaluate(async () => {
        const t = performance.now();
        await (await fetch("/api/v1/health", { cache: "no-store" })).text();
        return performance.now() - t;
      }),
    );
    empty.push((await open("/recordings?status=EXPIRED", "empty")).empty);
    for (const perPage of [20, 100]) {
      const marks = await open(`/recordings?per_page=${perPage}`, "rows");
      lists[perPage].rows.push(marks.rows);
      lists[perPage].interactive.push(marks.selected);
    }
  }
  const listTotal = await page.getByText(/^[\d,]+–[\d,]+ of [\d,]+$/).first().textContent();

  const h = median(health);
  const e = median(empty);
  console.log(`\n${runs} runs each (median), ${recordings} recordings (${listTotal?.trim()}), Chromium headless, wrangler dev with the built dashboard\n`);
  console.log(`reference: GET /api/v1/health fetched in the page     ${fmt(h)}`);
  console.log(`reference: empty list page (status=EXPIRED) rendered   ${fmt(e)}   from navigation start`);
  console.log("\npage                                   rows shown     click handled   vs empty page   vs health   target ≤ 1 s");
  for (const perPage of [20, 100]) {
    const rows = median(lists[perPage].rows);
    const interactive = median(lists[perPage].interactive);
    console.log(
      `/recordings, ${String(perPage).padStart(3)} rows per page         ${fmt(rows)}       ${fmt(interactive)}        ${ratio(interactive, e).padStart(7)}   ${ratio(interactive, h).padStart(9)}   ${interactive <= TARGET_MS ? "meets" : "misses"}`,
    );
  }
} finally {
  await browser?.close();
  await server.stop();
}
