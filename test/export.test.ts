import { env, exports } from "cloudflare:workers";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "../src/lib/csv";
import { call, expectStatus } from "./helpers/api";
import { seedRecordings } from "./helpers/fixtures";
import { createTenant, createTwoTenants, type Tenant } from "./helpers/tenants";

const EXPORT = "/api/v1/recordings/export";

interface Exported {
  id: number;
  display_name: string;
  status: string;
  failed: boolean;
  start_time: string;
  duration_seconds: number;
  processed_duration_seconds: number | null;
  template_name: string | null;
  outputs: Array<{ platform: string; status: string; url: string | null }>;
}

/** Downloads an export as raw bytes (the helper's `call` decodes text and would drop the BOM). */
async function download(t: Tenant, query: string): Promise<{ status: number; headers: Headers; bytes: Uint8Array; text: string }> {
  const response = await exports.default.fetch(
    new Request(`http://api.test${EXPORT}?${query}`, { headers: { Authorization: `Bearer ${t.accessToken}`, "CF-Connecting-IP": t.ip } }),
  );
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true } as ConstructorParameters<typeof TextDecoder>[1]).decode(bytes) };
}

const parseCsv = (text: string) => {
  expect(text.startsWith("\uFEFF"), "UTF-8 BOM for Excel").toBe(true);
  const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
  expect(parsed.errors, JSON.stringify(parsed.errors)).toEqual([]);
  return parsed.data;
};

async function addOutput(userId: string, recordingId: number, type: string, status: string, url: string | null) {
  const now = Date.now();
  await env.DB.prepare("INSERT INTO output_targets (recording_id, user_id, target_type, status, target_meta, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(recordingId, userId, type, status, JSON.stringify(url ? { video_url: url } : {}), now, now)
    .run();
}

describe("CSV cells (RFC 4180 + formula neutralising)", () => {
  it("quotes, doubles quotes and prefixes formula starts", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+7 999")).toBe("'+7 999");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("\rx")).toBe("\"'\rx\"");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(null)).toBe("");
    expect(csvCell(false)).toBe("false");
    expect(csvRow(["a", 1, null])).toBe("a,1,\r\n");
  });
});

describe("GET /recordings/export", () => {
  it("streams a CSV with BOM, escaping, formula neutralising, Cyrillic, outputs and an attachment header", async () => {
    const t = await createTenant("export-csv");
    const template = await call<{ id: number }>("/api/v1/templates", { token: t.accessToken, body: { name: '-Физика, "углублённая"', matching_rules: { keywords: ["физика"] } } });
    expectStatus(template, 201);
    const names = [
      "Comma, in name",
      'He said "hello"',
      "Two\nlines\r\nand CRLF",
      '=HYPERLINK("http://evil.example","click")',
      "+79991234567",
      "-1+2",
      "@SUM(A1:A2)",
      "\tTabbed",
      "Лекция 1. Введение в анализ",
    ];
    const base = Date.UTC(2026, 8, 1);
    const ids = await seedRecordings(
      t.userId,
      names.map((displayName, i) => ({ displayName, status: "READY", startTime: base + i * 60_000, duration: 3600 + i, templateId: template.body.id, isMapped: true })),
    );
    await env.DB.prepare(`UPDATE recordings SET trim_info = '{"duration": 3500.5}' WHERE id = ?`).bind(ids[0]).run();
    await addOutput(t.userId, ids[0]!, "YOUTUBE", "UPLOADED", "https://youtu.be/abc");
    await addOutput(t.userId, ids[0]!, "VK", "FAILED", null);

    const result = await download(t, "format=csv&order_by=start_time&order=asc");
    expect(result.status).toBe(200);
    expect(result.headers.get("Content-Type")).toContain("text/csv");
    expect(result.headers.get("Content-Disposition")).toMatch(/^attachment; filename="recordings-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect([...result.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(result.text).toContain("\r\n");

    const rows = parseCsv(result.text);
    expect(rows[0]).toEqual(["id", "display_name", "status", "failed", "start_time", "duration_seconds", "processed_duration_seconds", "template_name", "outputs", "output_urls"]);
    const body = rows.slice(1);
    expect(body.map((r) => Number(r[0]))).toEqual(ids);
    expect(body.map((r) => r[1])).toEqual([
      "Comma, in name",
      'He said "hello"',
      "Two\nlines\r\nand CRLF",
      `'=HYPERLINK("http://evil.example","click")`,
      "'+79991234567",
      "'-1+2",
      "'@SUM(A1:A2)",
      "'\tTabbed",
      "Лекция 1. Введение в анализ",
    ]);
    expect(body[0]).toEqual([String(ids[0]), "Comma, in name", "READY", "false", new Date(base).toISOString(), "3600", "3500.5", `'-Физика, "углублённая"`, "youtube:uploaded; vk:failed", "https://youtu.be/abc"]);
    expect(body[1]![6], "no trim yet: no processed duration").toBe("");
    // No cell, once parsed, starts with a formula character.
    for (const row of body) for (const cell of row.slice(1)) expect(/^[=+\-@\t\r]/.test(cell), cell).toBe(false);
  });

  it("streams JSON (one array) and NDJSON with the same records", async () => {
    const t = await createTenant("export-json");
    const ids = await seedRecordings(t.userId, [
      { displayName: "Алгебра", status: "READY", startTime: Date.UTC(2026, 9, 1), duration: 5400 },
      { displayName: 'Quote " and \\ backslash', status: "SKIPPED", startTime: Date.UTC(2026, 9, 2), failed: true },
    ]);
    await env.DB.prepare(`UPDATE recordings SET trim_info = '{"duration": 5000}' WHERE id = ?`).bind(ids[0]).run();
    await addOutput(t.userId, ids[0]!, "YANDEX_DISK", "UPLOADED", "https://disk.yandex.ru/d/x");

    const json = await download(t, "format=json&order=asc");
    expect(json.status).toBe(200);
    expect(json.headers.get("Content-Type")).toContain("application/json");
    expect(json.headers.get("Content-Disposition")).toContain("attachment");
    const items = JSON.parse(json.text) as Exported[];
    expect(items).toEqual([
      {
        id: ids[0],
        display_name: "Алгебра",
        status: "READY",
        failed: false,
        start_time: new Date(Date.UTC(2026, 9, 1)).toISOString(),
        duration_seconds: 5400,
        processed_duration_seconds: 5000,
        template_name: null,
        outputs: [{ platform: "yandex_disk", status: "uploaded", url: "https://disk.yandex.ru/d/x" }],
      },
      expect.objectContaining({ id: ids[1], display_name: 'Quote " and \\ backslash', failed: true, outputs: [] }),
    ]);

    const ndjson = await download(t, "format=ndjson&order=asc");
    expect(ndjson.headers.get("Content-Type")).toContain("application/x-ndjson");
    const lines = ndjson.text.trimEnd().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as Exported).id)).toEqual(ids);

    const empty = await download(await createTenant("export-empty"), "format=json");
    expect(JSON.parse(empty.text)).toEqual([]);
  });

  it("exports every row across many keyset pages (more than a list page), in order, each once", async () => {
    const t = await createTenant("export-many");
    // 230 rows, five per start time: keyset ties are broken by id across page boundaries (pages of 50 here).
    const base = Date.UTC(2026, 0, 1);
    const rows = Array.from({ length: 230 }, (_, i) => ({ displayName: `Lecture ${i}`, startTime: base + Math.floor(i / 5) * 3_600_000 }));
    const ids = await seedRecordings(t.userId, rows);

    const desc = JSON.parse((await download(t, "format=json")).text) as Exported[];
    expect(desc).toHaveLength(230);
    const expectedDesc = ids
      .map((id, i) => ({ id, start: rows[i]!.startTime }))
      .sort((a, b) => b.start - a.start || b.id - a.id)
      .map((r) => r.id);
    expect(desc.map((r) => r.id)).toEqual(expectedDesc);

    const byName = parseCsv((await download(t, "format=csv&order_by=display_name&order=asc")).text).slice(1);
    expect(byName).toHaveLength(230);
    expect(new Set(byName.map((r) => r[0])).size).toBe(230);
    const names = byName.map((r) => r[1]!);
    expect(names).toEqual([...names].sort());

    const list = await call<{ total: number; items: unknown[] }>("/api/v1/recordings?per_page=100", { token: t.accessToken });
    expect(list.body.total).toBe(230);
    expect(list.body.items).toHaveLength(100);
  });

  it("applies the list's filters", async () => {
    const t = await createTenant("export-filters");
    const template = await call<{ id: number }>("/api/v1/templates", { token: t.accessToken, body: { name: "Math", matching_rules: { keywords: ["math"] } } });
    const [ready, failed, skipped, deleted, blank, early] = await seedRecordings(t.userId, [
      { displayName: "ready", status: "READY", startTime: Date.UTC(2026, 5, 10), templateId: template.body.id, isMapped: true },
      { displayName: "failed", status: "DOWNLOADED", failed: true, startTime: Date.UTC(2026, 5, 11) },
      { displayName: "skipped", status: "SKIPPED", startTime: Date.UTC(2026, 5, 12) },
      { displayName: "deleted", status: "READY", deleted: true, startTime: Date.UTC(2026, 5, 13) },
      { displayName: "blank", status: "SKIPPED", blank: true, startTime: Date.UTC(2026, 5, 14) },
      { displayName: "early", status: "READY", startTime: Date.UTC(2026, 0, 1) },
    ]);
    const idsOf = async (query: string) => ((JSON.parse((await download(t, `format=json&order=asc&${query}`)).text) as Exported[]).map((r) => r.id));
    expect(await idsOf("")).toEqual([early, ready, failed, skipped]);
    expect(await idsOf("status=READY")).toEqual([early, ready]);
    expect(await idsOf("status=FAILED")).toEqual([failed]);
    expect(await idsOf("status_filter=SKIPPED")).toEqual([skipped]);
    expect(await idsOf(`template_id=${template.body.id}`)).toEqual([ready]);
    expect(await idsOf("failed=true")).toEqual([failed]);
    expect(await idsOf("mapped=true")).toEqual([ready]);
    expect(await idsOf("from_date=2026-06-01&to_date=2026-06-11")).toEqual([ready, failed]);
    expect(await idsOf("include_deleted=true&include_blank=true&from_date=2026-06-13")).toEqual([deleted, blank]);
  });

  it("exports a selection by ids (with the other filters), never another tenant's, and refuses malformed ids", async () => {
    const { a, b } = await createTwoTenants();
    const [one, two, three, gone] = await seedRecordings(a.userId, [
      { displayName: "one", status: "READY", startTime: Date.UTC(2026, 5, 1) },
      { displayName: "two", status: "SKIPPED", startTime: Date.UTC(2026, 5, 2) },
      { displayName: "three", status: "READY", startTime: Date.UTC(2026, 5, 3) },
      { displayName: "gone", status: "READY", deleted: true, startTime: Date.UTC(2026, 5, 4) },
    ]);
    const [theirs] = await seedRecordings(b.userId, [{ displayName: "B's private lecture", status: "READY" }]);
    const idsOf = async (t: Tenant, query: string) => {
      const response = await download(t, `format=json&order=asc&${query}`);
      expect(response.status, response.text).toBe(200);
      return (JSON.parse(response.text) as Exported[]).map((r) => r.id);
    };
    expect(await idsOf(a, `ids=${three},${one}`)).toEqual([one, three]);
    expect(await idsOf(a, `ids=${one},${two},${three}&status=READY`)).toEqual([one, three]);
    expect(await idsOf(a, `ids=${one},${gone}&include_deleted=true`)).toEqual([one, gone]);
    expect(await idsOf(a, `ids=${one},${one}`)).toEqual([one]);
    // Another tenant's id selects nothing: no row, no error that would confirm it exists.
    expect(await idsOf(a, `ids=${theirs}`)).toEqual([]);
    expect(await idsOf(a, `ids=${one},${theirs}`)).toEqual([one]);
    const csv = await download(a, `format=csv&ids=${two}`);
    expect(parseCsv(csv.text).map((row) => row[1])).toEqual(["display_name", "two"]);
    const tooMany = Array.from({ length: 201 }, (_, i) => i + 1).join(",");
    for (const ids of ["", "abc", "1,,2", "0", "-1", "1.5", "1;DROP TABLE recordings", "99999999999999999999", tooMany]) {
      const response = await call<{ error: { code: string } }>(`${EXPORT}?ids=${encodeURIComponent(ids)}`, { token: a.accessToken });
      expectStatus(response, 400);
      expect(response.body.error.code).toBeDefined();
    }
    expect(await idsOf(b, `ids=${theirs}`)).toEqual([theirs]);
  });

  it("refuses bad input with the error envelope, and never shows another tenant's recordings", async () => {
    const { a, b } = await createTwoTenants();
    await seedRecordings(a.userId, [{ displayName: "A's secret lecture", status: "READY" }]);
    for (const query of ["format=xml", "page=2", "per_page=10", "status=BOGUS", "status=READY&status_filter=READY", "order_by=password", "from_date=yesterday", "template_id=-1"]) {
      expectStatus(await call(`${EXPORT}?${query}`, { token: a.accessToken }), 400);
    }
    expectStatus(await call(EXPORT), 401);
    const foreign = await download(b, "format=csv&include_deleted=true&include_blank=true");
    expect(foreign.status).toBe(200);
    expect(parseCsv(foreign.text)).toHaveLength(1);
    expect(foreign.text).not.toContain("secret lecture");

    // /recordings/export is its own route, and /recordings/{id} still answers for ids.
    const doc = await call<{ paths: Record<string, { get?: unknown }> }>("/openapi.json");
    expect(doc.body.paths["/api/v1/recordings/export"]?.get).toBeDefined();
    expectStatus(await call("/api/v1/recordings/999999999", { token: a.accessToken }), 404);
  });
});
