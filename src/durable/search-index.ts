import { DurableObject } from "cloudflare:workers";
import { PASSAGE_KINDS, type PassageKind } from "../lib/search/passage-kinds";

/** bm25 column weights, in PASSAGE_KINDS order: a title match outranks a passing transcript mention. */
const KIND_WEIGHTS = [12, 6, 4, 2, 1];

export interface Passage {
  kind: PassageKind;
  text: string;
  /** Seconds into the video (chapters, transcript chunks); null for whole-recording fields. */
  start: number | null;
  /** Transcript chunks: [character offset, seconds] of each segment inside `text`. */
  marks?: Array<[number, number]>;
}

export interface IndexedHit {
  kind: PassageKind;
  start: number | null;
  /** [offset, seconds] pairs (plain arrays: tuples do not survive RPC typing). */
  marks: number[][] | null;
  /** The passage with every matched token between U+E000 and U+E001 (escaped by the caller). */
  highlighted: string;
  score: number;
}

export interface IndexedGroup {
  recordingId: number;
  score: number;
  hits: IndexedHit[];
}

/** Each recording owns rowids [id·2^20, (id+1)·2^20): its rows are one primary-key range. */
const ROWS_PER_RECORDING = 2 ** 20;
/** The tokens unicode61 treats as equal only after this: Russian ё/е (remove_diacritics covers Latin only). */
const FOLD_SQL = (expr: string) => `replace(replace(${expr}, 'ё', 'е'), 'Ё', 'Е')`;
const COLUMNS = PASSAGE_KINDS.join(", ");
const METADATA_KINDS = PASSAGE_KINDS.filter((k) => k !== "transcript");

/**
 * One object per tenant holding that tenant's full-text index (SQLite FTS5), so isolation is by
 * construction and the index grows with the number of tenants, not inside one database.
 *
 * `passages` keeps the original text; the FTS table is an external-content index over it, fed with
 * ё→е folded text. Folding keeps every token's position, so highlight() (which re-tokenizes the
 * original) marks the right words. Rows are only ever written through `replace`/`remove`, which
 * fold the same way on insert and delete, so the index never drifts from its content.
 */
export class SearchIndex extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.ensureSchema();
  }

  private ensureSchema(): void {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS passages (
        id INTEGER PRIMARY KEY, start REAL, marks TEXT,
        title TEXT, topic TEXT, chapter TEXT, summary TEXT, transcript TEXT);
      CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(${COLUMNS},
        content='passages', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
      CREATE TABLE IF NOT EXISTS hidden (recording_id INTEGER PRIMARY KEY)`);
    // FTS5 sorts by `rank` itself (cheaper than ORDER BY bm25(...)); the weights live in its config.
    this.sql.exec(`INSERT INTO passages_fts(passages_fts, rank) VALUES ('rank', 'bm25(${KIND_WEIGHTS.join(", ")})')`);
  }

  private deleteRows(recordingId: number): void {
    const [from, to] = [recordingId * ROWS_PER_RECORDING, (recordingId + 1) * ROWS_PER_RECORDING - 1];
    this.sql.exec(
      `INSERT INTO passages_fts(passages_fts, rowid, ${COLUMNS})
       SELECT 'delete', id, ${PASSAGE_KINDS.map((k) => FOLD_SQL(k)).join(", ")} FROM passages WHERE id BETWEEN ? AND ?`,
      from,
      to,
    );
    this.sql.exec("DELETE FROM passages WHERE id BETWEEN ? AND ?", from, to);
  }

  /** Replaces everything indexed for a recording (idempotent: a repeated call leaves the same rows). */
  replace(recordingId: number, passages: Passage[], hidden: boolean): number {
    this.ctx.storage.transactionSync(() => {
      this.deleteRows(recordingId);
      passages.slice(0, ROWS_PER_RECORDING - 1).forEach((passage, i) => {
        const id = recordingId * ROWS_PER_RECORDING + i;
        const values = PASSAGE_KINDS.map((k) => (k === passage.kind ? passage.text : null));
        this.sql.exec(
          `INSERT INTO passages (id, start, marks, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          id,
          passage.start,
          passage.marks ? JSON.stringify(passage.marks) : null,
          ...values,
        );
        this.sql.exec(
          `INSERT INTO passages_fts (rowid, ${COLUMNS}) SELECT id, ${PASSAGE_KINDS.map((k) => FOLD_SQL(k)).join(", ")} FROM passages WHERE id = ?`,
          id,
        );
      });
      this.setHiddenSync(recordingId, hidden);
    });
    return passages.length;
  }

  private setHiddenSync(recordingId: number, hidden: boolean): void {
    if (hidden) this.sql.exec("INSERT OR IGNORE INTO hidden (recording_id) VALUES (?)", recordingId);
    else this.sql.exec("DELETE FROM hidden WHERE recording_id = ?", recordingId);
  }

  /** Soft delete / restore: the rows stay (a restore needs no re-indexing) but search skips them. */
  setHidden(recordingId: number, hidden: boolean): void {
    this.setHiddenSync(recordingId, hidden);
  }

  remove(recordingIds: number[]): void {
    this.ctx.storage.transactionSync(() => {
      for (const id of recordingIds) {
        this.deleteRows(id);
        this.setHiddenSync(id, false);
      }
    });
  }

  /**
   * A rebuild walks D1 in id order: recordings indexed in (afterId, throughId] but absent from
   * `present` no longer exist and are dropped (throughId null: everything after afterId).
   */
  pruneRange(afterId: number, throughId: number | null, present: number[]): number {
    const keep = new Set(present);
    const upper = throughId === null ? Number.MAX_SAFE_INTEGER : (throughId + 1) * ROWS_PER_RECORDING - 1;
    const ids = this.sql
      .exec<{ rid: number }>("SELECT DISTINCT id >> 20 AS rid FROM passages WHERE id BETWEEN ? AND ?", (afterId + 1) * ROWS_PER_RECORDING, upper)
      .toArray()
      .map((r) => Number(r.rid))
      .filter((id) => !keep.has(id));
    this.remove(ids);
    return ids.length;
  }

  /**
   * The best `maxPassages` passages for an already-safe MATCH expression (built by the search
   * service from quoted tokens), grouped by recording, best recording first; hidden recordings are
   * skipped. A recording scores its best passage plus a tenth of each further one, so many
   * mentions lift it without outweighing one strong title match.
   *
   * bm25 costs a document-size lookup per matching row, so ranking every match of a frequent term
   * (a common word, a phrase of common words, a short prefix: hundreds of thousands of transcript
   * passages) took seconds in this single-threaded object. Counting matches is cheap (a doclist
   * walk that stops at `rankWindow + 1`): up to `rankWindow` matches are ranked exactly; above it,
   * ranking looks at the newest `rankWindow` matches of the names/topics/chapters/summaries and the
   * newest `rankWindow` transcript passages, each scope ranked within itself, merged by score.
   */
  search(match: string, options: { maxPassages: number; maxRecordings: number; hitsPerRecording: number; rankWindow: number }): IndexedGroup[] {
    const top = this.topPassages(match, options.maxPassages, options.rankWindow);
    const groups = new Map<number, { score: number; ids: Array<{ id: number; score: number }> }>();
    for (const row of top) {
      const recordingId = Math.floor(Number(row.id) / ROWS_PER_RECORDING);
      const group = groups.get(recordingId) ?? { score: 0, ids: [] };
      group.score += group.ids.length === 0 ? Number(row.score) : Number(row.score) / 10;
      group.ids.push({ id: Number(row.id), score: Number(row.score) });
      groups.set(recordingId, group);
    }
    const best = [...groups.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]).slice(0, options.maxRecordings);
    return best.map(([recordingId, group]) => ({
      recordingId,
      score: group.score,
      hits: group.ids.slice(0, options.hitsPerRecording).map(({ id, score }) => this.hit(match, id, score)),
    }));
  }

  private topPassages(match: string, limit: number, window: number): Array<{ id: number; score: number }> {
    const matches = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? LIMIT ?)", match, window + 1).one();
    if (Number(matches.n) <= window) return this.ranked(match, 0, limit);
    const scopes = [`{${METADATA_KINDS.join(" ")}} : (${match})`, `{transcript} : (${match})`];
    return scopes
      .flatMap((scope) => this.ranked(scope, this.windowStart(scope, window), limit))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  /** The lowest rowid among the newest `window` visible matches (recording ids grow with time). */
  private windowStart(match: string, window: number): number {
    const row = this.sql
      .exec<{ lo: number | null }>(
        `SELECT min(rowid) AS lo FROM (SELECT rowid FROM passages_fts
         WHERE passages_fts MATCH ? AND (rowid >> 20) NOT IN (SELECT recording_id FROM hidden) ORDER BY rowid DESC LIMIT ?)`,
        match,
        window,
      )
      .one();
    return row.lo === null ? 0 : Number(row.lo);
  }

  private ranked(match: string, fromRowid: number, limit: number): Array<{ id: number; score: number }> {
    return this.sql
      .exec<{ id: number; score: number }>(
        `SELECT rowid AS id, -rank AS score FROM passages_fts
         WHERE passages_fts MATCH ? AND rowid >= ? AND (rowid >> 20) NOT IN (SELECT recording_id FROM hidden)
         ORDER BY rank LIMIT ?`,
        match,
        fromRowid,
        limit,
      )
      .toArray()
      .map((row) => ({ id: Number(row.id), score: Number(row.score) }));
  }

  private hit(match: string, id: number, score: number): IndexedHit {
    const row = this.sql
      .exec<Record<string, string | number | null>>(
        `SELECT p.start, p.marks, ${PASSAGE_KINDS.map((k) => `p.${k} IS NOT NULL AS has_${k}`).join(", ")},
           ${PASSAGE_KINDS.map((k, i) => `highlight(passages_fts, ${i}, char(57344), char(57345)) AS h_${k}`).join(", ")}
         FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid WHERE passages_fts MATCH ? AND passages_fts.rowid = ?`,
        match,
        id,
      )
      .one();
    const kind = PASSAGE_KINDS.find((k) => Number(row[`has_${k}`]) === 1) ?? "transcript";
    return {
      kind,
      start: row.start === null ? null : Number(row.start),
      marks: typeof row.marks === "string" ? (JSON.parse(row.marks) as number[][]) : null,
      highlighted: String(row[`h_${kind}`] ?? ""),
      score,
    };
  }

  /** Recordings (hidden included: the caller's D1 filters decide) with a match, at most `limit`. */
  matchingRecordings(match: string, limit: number): number[] {
    return this.sql
      .exec<{ rid: number }>("SELECT DISTINCT rowid >> 20 AS rid FROM passages_fts WHERE passages_fts MATCH ? LIMIT ?", match, limit)
      .toArray()
      .map((r) => Number(r.rid));
  }

  stats(): { passages: number; recordings: number; hidden: number; bytes: number } {
    const row = this.sql.exec<{ n: number; r: number }>("SELECT COUNT(*) AS n, COUNT(DISTINCT id >> 20) AS r FROM passages").one();
    const hidden = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM hidden").one();
    return { passages: Number(row.n), recordings: Number(row.r), hidden: Number(hidden.n), bytes: this.sql.databaseSize };
  }

  /** The tenant's account is gone: the object keeps nothing. */
  async clear(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.ensureSchema();
  }
}
