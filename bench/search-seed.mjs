// Seeding tenants' SearchIndex Durable Objects with the sqlite3 CLI while the dev server is stopped:
// the same schema, FTS5 tokenizer and ё→е folding as src/durable/search-index.ts (bench:search, bench:list).
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { chunks, SUBJECTS, transcriptSegments } from "./search-corpus.mjs";

const ROWS_PER_RECORDING = 2 ** 20;
const q = (s) => (s === null ? "NULL" : `'${String(s).replace(/'/g, "''")}'`);

export const doDir = (state) => path.join(state, "v3", "do", "lecture-publisher-SearchIndex");
export const doFiles = (state) => {
  try {
    return readdirSync(doDir(state)).filter((f) => f.endsWith(".sqlite"));
  } catch {
    return [];
  }
};

/** Streams generated SQL into sqlite3 (the seed is far too large to build as one string). */
export async function sqliteStream(file, generate) {
  const child = spawn("sqlite3", [file], { stdio: ["pipe", "ignore", "inherit"] });
  const done = new Promise((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`sqlite3 exited ${code}`)))));
  for (const chunk of generate()) if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once("drain", r));
  child.stdin.end();
  await done;
}

/** A recording's passages as services/search/documents.ts builds them (transcript only for the first `transcripts`). */
export function* passagesSql(recordings, transcripts, planted) {
  yield "PRAGMA journal_mode=OFF;\nPRAGMA synchronous=OFF;\nBEGIN;\n";
  for (const [n, r] of recordings.entries()) {
    const rows = [{ title: r.display_name }];
    if (n < transcripts) {
      const segments = transcriptSegments(n + 1);
      if (planted.has(n)) segments[200].text += " Теорема Гамильтона — Кэли здесь особенно полезна.";
      rows.push({ topic: `${SUBJECTS[n % SUBJECTS.length]}: занятие ${n}` });
      for (let c = 0; c < 10; c++) rows.push({ chapter: `Глава ${c}: ${segments[c * 36].text.slice(0, 40)}`, start: c * 360 });
      rows.push({ summary: segments.slice(0, 3).map((s) => s.text).join(" ") });
      for (const c of chunks(segments)) rows.push({ transcript: c.text, start: c.start, marks: JSON.stringify(c.marks) });
    }
    const values = rows.map(
      (p, i) => `(${r.id * ROWS_PER_RECORDING + i},${p.start ?? "NULL"},${q(p.marks ?? null)},${q(p.title ?? null)},${q(p.topic ?? null)},${q(p.chapter ?? null)},${q(p.summary ?? null)},${q(p.transcript ?? null)})`,
    );
    yield `INSERT INTO passages (id, start, marks, title, topic, chapter, summary, transcript) VALUES ${values.join(",")};\n`;
    if (r.deleted) yield `INSERT OR IGNORE INTO hidden (recording_id) VALUES (${r.id});\n`;
  }
  const f = (c) => `replace(replace(${c}, 'ё', 'е'), 'Ё', 'Е')`;
  yield `INSERT INTO passages_fts (rowid, title, topic, chapter, summary, transcript) SELECT id, ${["title", "topic", "chapter", "summary", "transcript"].map(f).join(", ")} FROM passages;\nCOMMIT;\n`;
  yield "INSERT INTO passages_fts(passages_fts) VALUES ('optimize');\n";
}
