// FTS5 tokenizer choice for the search index: unicode61 (remove_diacritics 2, prefix index 2,3)
// against trigram, on generated Russian/English lecture transcripts chunked as the Worker indexes
// them. Measures index size, build time, recall for inflected Russian words, prefix and phrase
// queries, and query latency. Uses the sqlite3 CLI (same FTS5 engine workerd embeds; `apt-get
// install sqlite3`). Usage: node bench/search-tokenizers.mjs [--transcripts 300]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chunks, RU_LEMMAS, transcriptSegments } from "./search-corpus.mjs";

const args = Object.fromEntries(process.argv.slice(2).reduce((p, a, i, all) => (a.startsWith("--") ? [...p, [a.slice(2), all[i + 1]]] : p), []));
const transcripts = Number(args.transcripts ?? 300);
const dir = mkdtempSync(path.join(tmpdir(), "search-tokenizers-"));
const fold = (t) => t.replace(/ё/g, "е").replace(/Ё/g, "Е");
const q = (s) => `'${s.replace(/'/g, "''")}'`;

function sqlite(file, sql) {
  const r = spawnSync("sqlite3", [file], { input: sql, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

const rows = [];
let chars = 0;
for (let i = 1; i <= transcripts; i++) for (const c of chunks(transcriptSegments(i))) { rows.push(fold(c.text)); chars += c.text.length; }
const sqlFile = path.join(dir, "rows.sql");
writeFileSync(sqlFile, rows.map((t, i) => `INSERT INTO t(rowid, text) VALUES (${i + 1}, ${q(t)});`).join("\n"));
const textBytes = rows.reduce((n, t) => n + Buffer.byteLength(t), 0);
console.log(`${transcripts} transcripts, ${rows.length} chunks, ${(chars / 1e6).toFixed(1)} M characters, ${(textBytes / 1e6).toFixed(1)} MB UTF-8 (sqlite ${sqlite(":memory:", "select sqlite_version();").trim()})\n`);

const TOKENIZERS = {
  unicode61: "tokenize='unicode61 remove_diacritics 2', prefix='2 3'",
  trigram: "tokenize='trigram'",
};

/** Chunks containing any form of the lemma: the answer a search for the lemma should give. */
const truth = (forms) => new Set(rows.flatMap((t, i) => (forms.some((f) => new RegExp(`(^|[^\\p{L}])${fold(f)}([^\\p{L}]|$)`, "iu").test(t)) ? [i + 1] : [])));

const queries = {
  // [label, unicode61 MATCH, trigram MATCH, forms that count as correct]
  exact: ["лекция (exact word)", '"лекция"', '"лекция"', ["лекция"]],
  inflected: ["лекция, all case forms wanted", '"лекция"', '"лекция"', RU_LEMMAS.лекция],
  stem: ["stem лекци* / substring лекци", '"лекци"*', '"лекци"', RU_LEMMAS.лекция],
  stem2: ["stem матриц* / substring матриц", '"матриц"*', '"матриц"', RU_LEMMAS.матрица],
  yo: ["елки (ё folded on both sides)", '"елки"', '"елки"', ["ёлки"]],
  prefix2: ["2-letter prefix ма*", '"ма"*', '"ма"', null],
  phrase: ['phrase "vector space"', '"vector space"', '"vector space"', null],
  english: ["eigenvalues", '"eigenvalues"', '"eigenvalues"', ["eigenvalues"]],
};

const results = {};
for (const [name, options] of Object.entries(TOKENIZERS)) {
  const file = path.join(dir, `${name}.sqlite`);
  const t0 = Date.now();
  sqlite(file, `PRAGMA journal_mode=OFF; CREATE VIRTUAL TABLE t USING fts5(text, ${options}); BEGIN;\n.read ${sqlFile}\nCOMMIT; INSERT INTO t(t) VALUES('optimize'); VACUUM;`);
  const buildMs = Date.now() - t0;
  const size = statSync(file).size;
  const out = { buildMs, size, queries: {} };
  for (const [key, [, u, tri, forms]] of Object.entries(queries)) {
    const match = name === "unicode61" ? u : tri;
    // 5 runs of the page query (top 300 by rank, as the Worker asks) with .timer; the best is kept.
    const timing = sqlite(file, `.timer on\n${Array.from({ length: 5 }, () => `SELECT count(*) FROM (SELECT rowid FROM t WHERE t MATCH ${q(match)} ORDER BY rank LIMIT 300);`).join("\n")}`);
    const times = [...timing.matchAll(/real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
    const ids = new Set(sqlite(file, `SELECT rowid FROM t WHERE t MATCH ${q(match)};`).trim().split("\n").filter(Boolean).map(Number));
    let recall = null;
    let precision = null;
    if (forms) {
      const want = truth(forms);
      const hit = [...ids].filter((id) => want.has(id)).length;
      recall = want.size ? hit / want.size : 1;
      precision = ids.size ? hit / ids.size : 1;
    }
    out.queries[key] = { matched: ids.size, ms: Math.min(...times), recall, precision };
  }
  results[name] = out;
}

const pct = (x) => (x === null ? "  –  " : `${(x * 100).toFixed(0)}%`.padStart(5));
for (const [name, r] of Object.entries(results)) {
  console.log(`${name}: build ${(r.buildMs / 1000).toFixed(1)} s, index file ${(r.size / 1e6).toFixed(1)} MB = ${(r.size / textBytes).toFixed(2)}× the text`);
}
console.log("\nquery                                   tokenizer   matched  recall  precision  top-300 ms");
for (const [key, [label]] of Object.entries(queries)) {
  for (const name of Object.keys(TOKENIZERS)) {
    const x = results[name].queries[key];
    console.log(`${label.padEnd(40)}${name.padEnd(11)}${String(x.matched).padStart(8)}  ${pct(x.recall)}  ${pct(x.precision)}     ${x.ms.toFixed(1).padStart(7)}`);
  }
}
rmSync(dir, { recursive: true, force: true });
