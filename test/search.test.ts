import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { storageKeys } from "../src/lib/storage-keys";
import { serviceContext } from "../src/services/context";
import { updateRecording } from "../src/services/recordings/recordings.service";
import { indexRecording, requestIndexUpdate, touchesSearchIndex } from "../src/services/search/index-sync";
import { parseQuery, toMatchExpression } from "../src/services/search/query";
import { cachedNameMatch, NAME_MATCH_TTL_MS, rememberNameMatch } from "../src/services/search/name-match-cache";
import { searchRecordings } from "../src/services/search/search.service";
import { snippetOf } from "../src/services/search/snippet";
import { call, expectStatus } from "./helpers/api";
import { seedRecordings } from "./helpers/fixtures";
import { createTenant, type Tenant } from "./helpers/tenants";

interface Hit {
  field: string;
  snippet: string;
  seconds: number | null;
}
interface Result {
  recording_id: number;
  display_name: string;
  score: number;
  hits: Hit[];
}
interface SearchBody {
  total: number;
  results: Result[];
}
interface ListBody {
  total: number;
  items: Array<{ id: number; display_name: string }>;
}

interface Lecture {
  displayName: string;
  topics?: string[];
  chapters?: Array<{ topic: string; start: number; end: number }>;
  summary?: string;
  segments?: Array<{ start: number; text: string }>;
  deleted?: boolean;
}

/** A recording as the pipeline leaves it (D1 row + transcript in R2), indexed the way the queue does it. */
async function seedLecture(t: Tenant, lecture: Lecture, index = true): Promise<number> {
  const [id] = await seedRecordings(t.userId, [{ displayName: lecture.displayName, deleted: lecture.deleted }]);
  let key: string | null = null;
  if (lecture.segments) {
    key = storageKeys.transcript(t.userId, id!);
    const segments = lecture.segments.map((s, i) => ({ id: i, start: s.start, end: s.start + 5, text: s.text }));
    await env.MEDIA.put(key, JSON.stringify({ language: "ru", duration: 3600, text: "", words: [], segments, provider: "fake", model: "fake" }));
  }
  await env.DB.prepare("UPDATE recordings SET main_topics = ?, topic_timestamps = ?, topics_summary = ?, transcript_object_key = ? WHERE id = ?")
    .bind(
      lecture.topics ? JSON.stringify(lecture.topics) : null,
      lecture.chapters ? JSON.stringify(lecture.chapters) : null,
      lecture.summary ?? null,
      key,
      id,
    )
    .run();
  if (index) await indexRecording(serviceContext(env), t.userId, id!);
  return id!;
}

const search = (t: Tenant, q: string, extra = "") =>
  call<SearchBody>(`/api/v1/search?q=${encodeURIComponent(q)}${extra}`, { token: t.accessToken, ip: t.ip });

const idsOf = (body: SearchBody) => body.results.map((r) => r.recording_id);

/** Polls until the index (updated by the real queue in the background) gives what `ok` wants. */
async function eventually(t: Tenant, q: string, ok: (body: SearchBody) => boolean): Promise<SearchBody> {
  let last: SearchBody | undefined;
  for (let i = 0; i < 100; i++) {
    const response = await search(t, q);
    expectStatus(response, 200);
    last = response.body;
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`index never reached the expected state for "${q}": ${JSON.stringify(last)}`);
}

const filler = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ start: 10 + i * 10, text: `Сегодня мы продолжаем разговор о разных вещах, пункт номер ${i}.` }));

describe("search: what it finds and how it shows it", () => {
  it("finds Cyrillic and Latin text in names, topics, chapters, summaries and transcripts, with snippets and seconds", async () => {
    const t = await createTenant("search-happy");
    const id = await seedLecture(t, {
      displayName: "Лекция 5. Linear algebra basics",
      topics: ["Собственные векторы матриц"],
      chapters: [
        { topic: "Введение", start: 0, end: 300 },
        { topic: "Определитель матрицы", start: 300, end: 900 },
      ],
      summary: "We discuss eigenvalues and the characteristic polynomial.",
      segments: [...filler(40), { start: 1234.5, text: "Теорема Гамильтона — Кэли утверждает, что матрица удовлетворяет своему многочлену." }, ...filler(40)],
    });

    const transcript = await search(t, "Гамильтона");
    expectStatus(transcript, 200);
    expect(idsOf(transcript.body)).toEqual([id]);
    const hit = transcript.body.results[0]!.hits[0]!;
    expect(hit.field).toBe("transcript");
    expect(hit.seconds, JSON.stringify(hit)).toBe(1234.5);
    expect(hit.snippet).toContain("<mark>Гамильтона</mark>");
    expect(hit.snippet.length, "a window of the passage, not the whole chunk").toBeLessThan(400);

    const chapter = await search(t, "определитель");
    const chapterHit = chapter.body.results[0]!.hits.find((h) => h.field === "chapter");
    expect(chapterHit, chapter.text).toMatchObject({ seconds: 300, snippet: "<mark>Определитель</mark> матрицы" });

    const latin = await search(t, "eigenvalues");
    expect(latin.body.results[0]!.hits[0]).toMatchObject({ field: "summary", seconds: null });
    expect(latin.body.results[0]!.hits[0]!.snippet).toContain("<mark>eigenvalues</mark>");

    const topic = await search(t, "собственные векторы");
    expect(topic.body.results[0]!.hits[0]).toMatchObject({ field: "topic", snippet: "<mark>Собственные</mark> <mark>векторы</mark> матриц" });

    const mixed = await search(t, "linear лекция");
    expect(idsOf(mixed.body)).toEqual([id]);
    expect(mixed.body.results[0]!.display_name).toBe("Лекция 5. Linear algebra basics");
  });

  it("ranks a title match above a passing transcript mention", async () => {
    const t = await createTenant("search-rank");
    const mention = await seedLecture(t, {
      displayName: "Семинар по истории",
      segments: [...filler(30), { start: 900, text: "Кстати, термодинамика тоже об этом, но не сегодня." }, ...filler(30)],
    });
    const titled = await seedLecture(t, { displayName: "Термодинамика: второе начало", segments: filler(20) });
    const response = await search(t, "термодинамика");
    expectStatus(response, 200);
    expect(idsOf(response.body)).toEqual([titled, mention]);
    expect(response.body.results[0]!.score).toBeGreaterThan(response.body.results[1]!.score);
    expect(response.body.results[0]!.hits[0]!.field).toBe("title");
  });

  it("ignores case, Latin diacritics and ё/е", async () => {
    const t = await createTenant("search-fold");
    const yolka = await seedLecture(t, { displayName: "Ёлка и её зелёные иголки" });
    const cafe = await seedLecture(t, { displayName: "Café culture in Paris" });
    const plain = await seedLecture(t, { displayName: "Resume writing (not résumé)" });

    for (const q of ["елка", "ЁЛКА", "Елка", "зеленые"]) {
      const r = await search(t, q);
      expect(idsOf(r.body), `${q}: ${r.text}`).toEqual([yolka]);
    }
    const highlighted = (await search(t, "елка")).body.results[0]!.hits[0]!.snippet;
    expect(highlighted, "the original spelling is shown, the folded one matched").toBe("<mark>Ёлка</mark> и её зелёные иголки");
    for (const q of ["cafe", "CAFÉ", "café"]) expect(idsOf((await search(t, q)).body), q).toEqual([cafe]);
    expect(idsOf((await search(t, "resume")).body)).toEqual([plain]);
  });

  it("takes prefixes (explicit and on the last word) and quoted phrases", async () => {
    const t = await createTenant("search-prefix");
    const lecture = await seedLecture(t, { displayName: "Лекции по линейной алгебре" });
    const apart = await seedLecture(t, { displayName: "Алгебра и линейное программирование" });
    const algebra = await seedLecture(t, { displayName: "Algebraic topology" });

    expect(idsOf((await search(t, "лекц*")).body)).toEqual([lecture]);
    expect(idsOf((await search(t, "лекц")).body), "the last word is a prefix").toEqual([lecture]);
    expect(idsOf((await search(t, "лекц ")).body), "…unless the query ends with a space").toEqual([]);
    expect(idsOf((await search(t, "лекц* алгебре")).body)).toEqual([lecture]);
    expect(idsOf((await search(t, "algebr")).body)).toEqual([algebra]);

    const phrase = await search(t, '"линейной алгебре"');
    expect(idsOf(phrase.body)).toEqual([lecture]);
    const words = await search(t, "алгебр* линейн");
    expect(idsOf(words.body).sort()).toEqual([lecture, apart].sort());
    const phraseMiss = await search(t, '"алгебра линейное"');
    expect(idsOf(phraseMiss.body), "a phrase keeps its word order").toEqual([]);
  });

  it("ranks a frequent term within the newest matches of each scope, exactly below the window", async () => {
    const t = await createTenant("search-window");
    const stub = env.SEARCH_INDEX.get(env.SEARCH_INDEX.idFromName(t.userId));
    const transcript = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: "transcript" as const, text: `матрица номер ${i}`, start: i * 10 }));
    // Object-level ids (the object trusts its caller's ids): 1 is old, 2–4 newer; 3 is hidden.
    await stub.replace(1, [{ kind: "title", text: "Матрица и её ранг", start: null }, ...transcript(3)], false);
    await stub.replace(2, transcript(3), false);
    await stub.replace(3, [{ kind: "title", text: "Матрица скрытая", start: null }, ...transcript(3)], true);
    await stub.replace(4, transcript(2), false);
    const options = { maxPassages: 50, maxRecordings: 10, hitsPerRecording: 1 };

    // 10 visible matches (hidden rows count towards the cheap probe, not the ranking): exact.
    const exact = await stub.search('"матрица"', { ...options, rankWindow: 20 });
    expect(exact.map((g) => g.recordingId)).toEqual([1, 2, 4]);

    // Window of 2: the newest two transcript passages (both recording 4's) and the newest visible
    // metadata match (recording 1's title, since 3 is hidden) are all that is ranked.
    const windowed = await stub.search('"матрица"', { ...options, rankWindow: 2 });
    expect(windowed.map((g) => g.recordingId)).toEqual([1, 4]);
    expect(windowed[0]!.hits[0]!.kind).toBe("title");
    expect(windowed.every((g) => g.hits.every((h) => h.highlighted.includes("\uE000")))).toBe(true);
  });

  it("escapes HTML in snippets and never lets highlight markers in from the text", async () => {
    const t = await createTenant("search-escape");
    const id = await seedLecture(t, { displayName: `<script>alert("x")</script> & \uE000 Опасная лекция` });
    const r = await search(t, "опасная");
    expect(idsOf(r.body)).toEqual([id]);
    const snippet = r.body.results[0]!.hits[0]!.snippet;
    expect(snippet).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;   <mark>Опасная</mark> лекция");
    expect(snippet).not.toContain("<script");
  });
});

describe("search: tenant isolation", () => {
  it("never shows another tenant's recordings, even for the same words", async () => {
    const a = await createTenant("search-iso-a");
    const b = await createTenant("search-iso-b");
    const aId = await seedLecture(a, { displayName: "Квантовая механика", segments: [{ start: 12, text: "Уравнение Шрёдингера для частицы" }] });
    const bId = await seedLecture(b, { displayName: "Квантовая механика", segments: [{ start: 99, text: "Уравнение Шрёдингера для ящика" }] });

    const fromB = await search(b, "квантовая шредингера");
    expect(idsOf(fromB.body)).toEqual([]);
    const byTitle = await search(b, "квантовая");
    expect(idsOf(byTitle.body)).toEqual([bId]);
    const transcript = await search(b, "шредингера");
    expect(idsOf(transcript.body)).toEqual([bId]);
    expect(transcript.body.results[0]!.hits[0]!.seconds).toBe(99);
    expect(idsOf((await search(a, "шредингера")).body)).toEqual([aId]);

    const listB = await call<ListBody>("/api/v1/recordings?search=квантовая", { token: b.accessToken, ip: b.ip });
    expectStatus(listB, 200);
    expect(listB.body.items.map((i) => i.id)).toEqual([bId]);

    // B's own index holds only B's rows: one object per tenant.
    const stats = await call<{ recordings: number }>("/api/v1/search/status", { token: b.accessToken, ip: b.ip });
    expectStatus(stats, 200);
    expect(stats.body.recordings).toBe(1);
  });

  it("drops a hit whose recording is not the caller's even if an index held it (D1 re-check)", async () => {
    const a = await createTenant("search-recheck-a");
    const b = await createTenant("search-recheck-b");
    const aId = await seedLecture(a, { displayName: "Секретная лекция" });
    // Plant A's recording id into B's index directly: the D1 re-check must still hide it.
    const stub = env.SEARCH_INDEX.get(env.SEARCH_INDEX.idFromName(b.userId));
    await stub.replace(aId, [{ kind: "title", text: "Секретная лекция", start: null }], false);
    const r = await search(b, "секретная");
    expectStatus(r, 200);
    expect(idsOf(r.body)).toEqual([]);
  });

  it("answers 401 without a token and refuses undeclared parameters", async () => {
    const t = await createTenant("search-auth");
    expectStatus(await call("/api/v1/search?q=x", { ip: t.ip }), 401);
    expectStatus(await call("/api/v1/search/reindex", { method: "POST", ip: t.ip }), 401);
    expectStatus(await call("/api/v1/search?q=x&user_id=someone", { token: t.accessToken, ip: t.ip }), 400);
  });
});

describe("search: bad and hostile input", () => {
  it("gives a clear 400 for missing, empty, too long or wordless queries and bad limits", async () => {
    const t = await createTenant("search-bad");
    for (const path of [
      "/api/v1/search",
      "/api/v1/search?q=",
      "/api/v1/search?q=%20%20",
      `/api/v1/search?q=${"а".repeat(10_000)}`,
      "/api/v1/search?q=x&limit=0",
      "/api/v1/search?q=x&limit=51",
      "/api/v1/search?q=x&hits=abc",
      `/api/v1/search?q=${encodeURIComponent('" * : - ( ) ^ +')}`,
      `/api/v1/search?q=${encodeURIComponent(Array.from({ length: 13 }, (_, i) => `w${i}`).join(" "))}`,
    ]) {
      const r = await call(path, { token: t.accessToken, ip: t.ip });
      expectStatus(r, 400);
    }
  });

  it("answers hostile FTS syntax with results or a 400, never a 500", async () => {
    const t = await createTenant("search-hostile");
    const id = await seedLecture(t, { displayName: "NEAR AND OR NOT лекция title" });
    const hostile = [
      '"',
      '""',
      '"unbalanced лекция',
      "*",
      "лекция*",
      "**лекция",
      "NEAR(",
      "NEAR(лекция title, 1)",
      "лекция NOT title",
      "-лекция",
      "title:лекция",
      "{title}: лекция",
      "лекция^",
      "лекция OR 1=1",
      "'; DROP TABLE passages; --",
      "\u0000лекция",
      "лекция\uE000",
      "a".repeat(256),
      "AND",
      "( ) :",
    ];
    for (const q of hostile) {
      const r = await search(t, q);
      expect([200, 400], `${JSON.stringify(q)} → ${r.status} ${r.text}`).toContain(r.status);
      if (r.status === 400) expectStatus(r, 400);
    }
    // Operator words are plain words: this tenant's title contains them.
    expect(idsOf((await search(t, "NEAR( лекция")).body)).toEqual([id]);
    expect(idsOf((await search(t, "лекция NOT title")).body)).toEqual([id]);
    expect(idsOf((await search(t, "title: лекция")).body)).toEqual([id]);
    // The index survived all of it.
    expect(idsOf((await search(t, "лекция")).body)).toEqual([id]);
  });

  it("builds MATCH only from quoted tokens", () => {
    expect(toMatchExpression(parseQuery('NEAR(ab cd) "x y" -c de*: e'))).toBe('"NEAR ab" "cd" "x y" "c" "de"* "e"');
    expect(toMatchExpression(parseQuery('"unclosed phrase'))).toBe('"unclosed" "phrase"*');
    expect(toMatchExpression(parseQuery("foo-bar Ёж"))).toBe('"foo bar" "Еж"*');
    expect(toMatchExpression(parseQuery("x"))).toBe('"x"');
    expect(toMatchExpression(parseQuery("лекц"), "title")).toBe('{title} : ("лекц"*)');
    expect(() => parseQuery('" : *')).toThrow(/no words/);
  });

  it("makes a snippet window around the first match", () => {
    const long = `${"слово ".repeat(100)}\uE000цель\uE001 ${"хвост ".repeat(100)}`;
    const { html, offset } = snippetOf(long);
    expect(offset).toBe(600);
    expect(html.startsWith("…")).toBe(true);
    expect(html.endsWith("…")).toBe(true);
    expect(html).toContain("<mark>цель</mark>");
    expect(html.length).toBeLessThan(300);
  });
});

describe("search: kept in sync with recordings", () => {
  it("follows a rename, a soft delete, a restore and a hard delete (through the queue)", async () => {
    const t = await createTenant("search-sync");
    const id = await seedLecture(t, { displayName: "Старое название" });
    expect(idsOf((await search(t, "старое")).body)).toEqual([id]);

    expectStatus(await call(`/api/v1/recordings/${id}`, { method: "PATCH", body: { display_name: "Новое имя лекции" }, token: t.accessToken, ip: t.ip }), 200);
    await eventually(t, "новое", (b) => idsOf(b).includes(id));
    expect(idsOf((await search(t, "старое")).body)).toEqual([]);

    expectStatus(await call(`/api/v1/recordings/${id}`, { method: "DELETE", token: t.accessToken, ip: t.ip }), 200);
    // Hidden at once (the D1 re-check), and in the index once the queue ran.
    expect(idsOf((await search(t, "новое")).body)).toEqual([]);
    // The queue delivers after up to a second locally (longer on a loaded machine): poll for up to 10 s.
    await expect.poll(async () => (await call<{ hidden_recordings: number }>("/api/v1/search/status", { token: t.accessToken, ip: t.ip })).body.hidden_recordings, { timeout: 10_000 }).toBe(1);

    expectStatus(await call(`/api/v1/recordings/${id}/restore`, { method: "POST", token: t.accessToken, ip: t.ip }), 200);
    await eventually(t, "новое", (b) => idsOf(b).includes(id));

    await env.DB.prepare("DELETE FROM recordings WHERE id = ?").bind(id).run();
    await requestIndexUpdate(serviceContext(env), t.userId, id);
    await expect.poll(async () => (await call<{ recordings: number }>("/api/v1/search/status", { token: t.accessToken, ip: t.ip })).body.recordings, { timeout: 10_000 }).toBe(0);
  });

  it("re-indexing replaces a recording's rows (idempotent) and picks up new topics and transcripts", async () => {
    const t = await createTenant("search-idem");
    const id = await seedLecture(t, { displayName: "Оптика", segments: filler(30) });
    const ctx = serviceContext(env);
    const before = (await call<{ passages: number }>("/api/v1/search/status", { token: t.accessToken, ip: t.ip })).body.passages;
    await indexRecording(ctx, t.userId, id);
    await indexRecording(ctx, t.userId, id);
    expect((await call<{ passages: number }>("/api/v1/search/status", { token: t.accessToken, ip: t.ip })).body.passages).toBe(before);

    await env.DB.prepare("UPDATE recordings SET topics_summary = ? WHERE id = ?").bind("Преломление света в линзах", id).run();
    await requestIndexUpdate(ctx, t.userId, id);
    await eventually(t, "преломление", (b) => idsOf(b).includes(id));
  });

  it("indexes the name, topics and summary even when the transcript file is damaged or missing", async () => {
    const t = await createTenant("search-damaged");
    const id = await seedLecture(t, { displayName: "Электростатика", summary: "Закон Кулона", segments: filler(3) }, false);
    await env.MEDIA.put(storageKeys.transcript(t.userId, id), "{ not json");
    await indexRecording(serviceContext(env), t.userId, id);
    expect(idsOf((await search(t, "кулона")).body)).toEqual([id]);
    await env.MEDIA.delete(storageKeys.transcript(t.userId, id));
    await indexRecording(serviceContext(env), t.userId, id);
    expect(idsOf((await search(t, "электростатика")).body)).toEqual([id]);
  });

  it("re-indexes only for stage results that change indexed fields", () => {
    expect(touchesSearchIndex({ topicTimestamps: [], status: "x" })).toBe(true);
    expect(touchesSearchIndex({ transcriptObjectKey: "k" })).toBe(true);
    expect(touchesSearchIndex({ status: "UPLOADED", updatedAt: new Date() })).toBe(false);
  });

  it("a rename still succeeds when the index update cannot be queued", async () => {
    const t = await createTenant("search-queue-down");
    const [id] = await seedRecordings(t.userId, [{ displayName: "До" }]);
    const failing = { ...env, PIPELINE: { send: () => Promise.reject(new Error("queue unavailable")) } } as unknown as Env;
    const ctx = serviceContext(failing);
    const auth = { userId: t.userId, sessionId: "s", email: t.email, role: "user" as const };
    const updated = await updateRecording(ctx, auth, id!, { displayName: "После" });
    expect(updated.displayName).toBe("После");
  });

  it("answers 503 with Retry-After when the index cannot be reached", async () => {
    const t = await createTenant("search-do-down");
    const broken = {
      ...env,
      SEARCH_INDEX: { idFromName: () => ({}), get: () => ({ search: () => Promise.reject(new Error("object overloaded")) }) },
    } as unknown as Env;
    const auth = { userId: t.userId, sessionId: "s", email: t.email, role: "user" as const };
    await expect(searchRecordings(serviceContext(broken), auth, { q: "x", limit: 5, hitsPerRecording: 1 })).rejects.toMatchObject({
      status: 503,
      headers: { "Retry-After": "5" },
    });
  });

  it("rebuilds a tenant's index from D1 and R2, dropping rows of recordings that are gone", async () => {
    const t = await createTenant("search-rebuild");
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await seedLecture(t, { displayName: `Перестройка индекса ${i}`, segments: i === 29 ? [{ start: 42, text: "Последняя фраза" }] : undefined }, false));
    const stub = env.SEARCH_INDEX.get(env.SEARCH_INDEX.idFromName(t.userId));
    await stub.replace(999_999_999, [{ kind: "title", text: "Перестройка призрак", start: null }], false);

    const r = await call<{ status: string }>("/api/v1/search/reindex", { method: "POST", token: t.accessToken, ip: t.ip });
    expectStatus(r, 202);
    await expect
      .poll(async () => (await call<{ recordings: number }>("/api/v1/search/status", { token: t.accessToken, ip: t.ip })).body.recordings, { timeout: 20_000 })
      .toBe(30);
    const found = await search(t, "последняя фраза");
    expect(idsOf(found.body)).toEqual([ids[29]]);
    expect(found.body.results[0]!.hits[0]!.seconds).toBe(42);
  });
});

describe("GET /recordings?search= through the index", () => {
  it("matches names through the index with the other filters and pagination", async () => {
    const t = await createTenant("search-list");
    const other = await createTenant("search-list-other");
    await seedLecture(other, { displayName: "Кафе математика" });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await seedLecture(t, { displayName: `Математика, занятие ${i}` }));
    const cafe = await seedLecture(t, { displayName: "Café de Flore" });
    const deleted = await seedLecture(t, { displayName: "Математика удалённая", deleted: true });
    // A transcript mention is not a name match: the list searches names only, as before.
    await seedLecture(t, { displayName: "Физика", segments: [{ start: 1, text: "математика повсюду" }] });

    const list = (query: string) => call<ListBody>(`/api/v1/recordings?${query}`, { token: t.accessToken, ip: t.ip });
    const page1 = await list("search=математ&per_page=2&page=1&order_by=id&order=asc");
    expectStatus(page1, 200);
    expect(page1.body.total).toBe(5);
    expect(page1.body.items.map((i) => i.id)).toEqual(ids.slice(0, 2));
    const page3 = await list("search=математ&per_page=2&page=3&order_by=id&order=asc");
    expect(page3.body.items.map((i) => i.id)).toEqual(ids.slice(4));

    expect((await list("search=cafe")).body.items.map((i) => i.id), "diacritics folded (LIKE would miss)").toEqual([cafe]);
    expect((await list("search=МАТЕМАТИКА&include_deleted=true&order_by=id&order=asc")).body.items.map((i) => i.id)).toEqual([...ids, deleted]);
    expect((await list("search=удаленная")).body.total, "deleted stay out unless asked").toBe(0);
    expect((await list("search=удаленная&include_deleted=true")).body.items.map((i) => i.id)).toEqual([deleted]);
    expect((await list("search=математика&status=READY")).body.total).toBe(0);
    expect((await list("search=%22%20*%20NEAR(")).status).toBe(200);
    expectStatus(await list(`search=${"x".repeat(201)}`), 400);
  });

  it("the list reuses a tenant's name match for NAME_MATCH_TTL_MS; bulk operations always ask the index", async () => {
    const t = await createTenant("search-reuse");
    const first = await seedLecture(t, { displayName: "Оптика, занятие 1" });
    const asks = vi.spyOn(env.SEARCH_INDEX, "get");
    const list = async (query: string) => (await call<ListBody>(`/api/v1/recordings?${query}`, { token: t.accessToken, ip: t.ip })).body;
    expect((await list("search=оптика")).items.map((i) => i.id)).toEqual([first]);
    expect((await list("search=оптика&page=1&per_page=5&order_by=id")).items.map((i) => i.id)).toEqual([first]);
    expect(asks).toHaveBeenCalledTimes(1);
    // Another tenant's same words are its own entry.
    const other = await createTenant("search-reuse-other");
    expect((await call<ListBody>("/api/v1/recordings?search=оптика", { token: other.accessToken, ip: other.ip })).body.total).toBe(0);
    expect(asks).toHaveBeenCalledTimes(2);

    // A new match reaches the list once the isolate's entry is older than NAME_MATCH_TTL_MS …
    const second = await seedLecture(t, { displayName: "Оптика, занятие 2" });
    expect((await list("search=оптика")).total).toBe(1);
    vi.useFakeTimers({ now: Date.now() + NAME_MATCH_TTL_MS, toFake: ["Date"] });
    try {
      expect((await list("search=оптика&order_by=id&order=asc")).items.map((i) => i.id)).toEqual([first, second]);
    } finally {
      vi.useRealTimers();
    }
    // … while a bulk operation by search asks the index every time.
    const before = asks.mock.calls.length;
    const r = await call<{ succeeded_count: number }>("/api/v1/recordings/bulk/delete", { body: { filters: { search: "оптика" }, limit: 10 }, token: t.accessToken, ip: t.ip });
    expectStatus(r, 200);
    expect(r.body.succeeded_count).toBe(2);
    expect(asks.mock.calls.length).toBeGreaterThan(before);
    vi.restoreAllMocks();
  });

  it("keeps copies, forgets after the TTL and bounds what it holds", () => {
    const now = 5_000_000;
    rememberNameMatch("u1", "m", [1, 2, 3], now);
    const copy = cachedNameMatch("u1", "m", now + 1)!;
    copy.push(99);
    expect(cachedNameMatch("u1", "m", now + 1)).toEqual([1, 2, 3]);
    expect(cachedNameMatch("u2", "m", now + 1)).toBeUndefined();
    expect(cachedNameMatch("u1", "m", now + NAME_MATCH_TTL_MS)).toBeUndefined();
    // 200 000 ids at most: the oldest entries make room; a match larger than that is not kept.
    rememberNameMatch("u1", "a", Array.from({ length: 150_000 }, (_, i) => i), now);
    rememberNameMatch("u1", "b", Array.from({ length: 100_000 }, (_, i) => i), now);
    expect(cachedNameMatch("u1", "a", now + 1)).toBeUndefined();
    expect(cachedNameMatch("u1", "b", now + 1)).toHaveLength(100_000);
    rememberNameMatch("u1", "huge", Array.from({ length: 200_001 }, (_, i) => i), now);
    expect(cachedNameMatch("u1", "huge", now + 1)).toBeUndefined();
    expect(cachedNameMatch("u1", "b", now + 1)).toHaveLength(100_000);
  });

  it("bulk operations selecting by search use the index too", async () => {
    const t = await createTenant("search-bulk");
    const [keep] = await seedRecordings(t.userId, [{ displayName: "Останется" }]);
    const gone = await seedLecture(t, { displayName: "Удалить это" });
    await indexRecording(serviceContext(env), t.userId, keep!);
    const r = await call<{ succeeded_count: number; details: Array<{ recording_id: number }> }>("/api/v1/recordings/bulk/delete", {
      body: { filters: { search: "удалить" }, limit: 10 },
      token: t.accessToken,
      ip: t.ip,
    });
    expectStatus(r, 200);
    expect(r.body.details.map((d) => d.recording_id)).toEqual([gone]);
  });
});
