import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call, expectStatus } from "./helpers/api";
import { fakeMp4, seedRecordings } from "./helpers/fixtures";
import { createTenant } from "./helpers/tenants";
import { getDb } from "../src/db/client";
import { recordingsCount } from "../src/db/repositories/recording-count";
import { recordingFiltersWhere, type RecordingFilters } from "../src/db/repositories/recording-filters";
import { recordings } from "../src/db/schema";

/** Every filter combination the tallies answer, beside the same filters counted row by row. */
async function expectTalliesMatchRows(userId: string, templateIds: number[], sourceIds: number[]): Promise<void> {
  const combos: RecordingFilters[] = [
    {},
    { includeDeleted: true },
    { includeBlank: true, includeDeleted: true },
    { statuses: ["READY"] },
    { statuses: ["FAILED"] },
    { statuses: ["SKIPPED", "FAILED"] },
    { statuses: ["SKIPPED", "INITIALIZED", "FAILED"], includeDeleted: true },
    { failed: true },
    { failed: false, mapped: true },
    { mapped: false },
    ...templateIds.map((templateId) => ({ templateId })),
    ...sourceIds.map((sourceId) => ({ sourceId, statuses: ["READY" as const, "FAILED" as const] })),
  ];
  const db = getDb(env.DB);
  for (const filters of combos) {
    const [tallied] = await db.select({ n: recordingsCount(userId, filters) }).from(sql`(SELECT 1)`);
    const [counted] = await db.select({ n: sql<number>`count(*)` }).from(recordings).where(recordingFiltersWhere(userId, filters));
    expect({ filters, n: Number(tallied?.n) }).toEqual({ filters, n: Number(counted?.n) });
  }
}

async function seedTemplate(userId: string, name: string): Promise<number> {
  const now = Date.now();
  const row = await env.DB.prepare(
    "INSERT INTO recording_templates (user_id, name, is_draft, is_active, created_at, updated_at) VALUES (?, ?, 0, 1, ?, ?) RETURNING id",
  )
    .bind(userId, name, now, now)
    .first<{ id: number }>();
  return row!.id;
}

async function seedSource(userId: string): Promise<number> {
  const now = Date.now();
  const row = await env.DB.prepare("INSERT INTO input_sources (user_id, name, source_type, created_at, updated_at) VALUES (?, 'Upload', 'LOCAL', ?, ?) RETURNING id")
    .bind(userId, now, now)
    .first<{ id: number }>();
  return row!.id;
}

const tallyRows = (userId: string) =>
  env.DB.prepare("SELECT count(*) AS rows, coalesce(sum(n), 0) AS n FROM recording_tallies WHERE user_id = ?").bind(userId).first<{ rows: number; n: number }>();

describe("recording tallies (the list's total without counting rows)", () => {
  it("stay equal to a row count through inserts, updates, foreign-key actions and deletes, tenant by tenant", async () => {
    const a = await createTenant("tally-a");
    const b = await createTenant("tally-b");
    const [t1, t2] = [await seedTemplate(a.userId, "Course 1"), await seedTemplate(a.userId, "Course 2")];
    const source = await seedSource(a.userId);
    const ids = await seedRecordings(a.userId, [
      { displayName: "r1", status: "READY", isMapped: true, templateId: t1, inputSourceId: source },
      { displayName: "r2", status: "READY", isMapped: true, templateId: t1 },
      { displayName: "r3", status: "SKIPPED", failed: true },
      { displayName: "r4", status: "SKIPPED", blank: true },
      { displayName: "r5", status: "INITIALIZED", deleted: true, templateId: t2, isMapped: true, inputSourceId: source },
      { displayName: "r6", status: "DOWNLOADED", failed: true, templateId: t2, isMapped: true },
    ]);
    await seedRecordings(b.userId, [{ displayName: "other", status: "READY" }]);
    await expectTalliesMatchRows(a.userId, [t1, t2], [source]);

    // Status moves, failure and recovery, soft delete and restore, a rematch, a no-op update.
    const db = env.DB;
    await db.prepare("UPDATE recordings SET status = 'PROCESSING' WHERE id = ?").bind(ids[0]).run();
    await db.prepare("UPDATE recordings SET failed = 0, status = 'READY' WHERE id = ?").bind(ids[2]).run();
    await db.prepare("UPDATE recordings SET deleted = 1, delete_state = 'soft' WHERE id = ?").bind(ids[1]).run();
    await db.prepare("UPDATE recordings SET deleted = 0, delete_state = 'active' WHERE id = ?").bind(ids[4]).run();
    await db.prepare("UPDATE recordings SET template_id = ?, is_mapped = 1, status = 'INITIALIZED' WHERE id = ?").bind(t2, ids[3]).run();
    await db.prepare("UPDATE recordings SET status = status, display_name = 'renamed' WHERE id = ?").bind(ids[5]).run();
    await expectTalliesMatchRows(a.userId, [t1, t2], [source]);

    // Foreign-key actions: a deleted template or source sets the recordings' reference to NULL.
    await db.prepare("DELETE FROM recording_templates WHERE id = ?").bind(t2).run();
    await db.prepare("DELETE FROM input_sources WHERE id = ?").bind(source).run();
    await expectTalliesMatchRows(a.userId, [t1, t2], [source]);

    // Hard deletes; an emptied combination leaves no row behind.
    await db.prepare("DELETE FROM recordings WHERE id IN (?, ?)").bind(ids[0], ids[2]).run();
    await expectTalliesMatchRows(a.userId, [t1], []);
    const rowsA = await env.DB.prepare("SELECT count(*) AS n FROM recordings WHERE user_id = ?").bind(a.userId).first<{ n: number }>();
    expect((await tallyRows(a.userId))?.n).toBe(rowsA?.n);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM recording_tallies WHERE n <= 0").first<{ n: number }>()).toEqual({ n: 0 });

    // The other tenant's tally never moved.
    expect(await tallyRows(b.userId)).toEqual({ rows: 1, n: 1 });
    await expectTalliesMatchRows(b.userId, [], []);
  });

  it("answer GET /recordings' total and follow the API's own writes (upload, soft delete, restore, account deletion)", async () => {
    const t = await createTenant("tally-api");
    await seedRecordings(t.userId, [{ displayName: "seeded", status: "READY" }]);
    const total = async (query = "") => (await call<{ total: number }>(`/api/v1/recordings?${query}`, { token: t.accessToken })).body.total;
    const uploaded = await call<{ id: number }>("/api/v1/recordings?display_name=Up&filename=up.mp4", {
      method: "POST",
      token: t.accessToken,
      rawBody: fakeMp4(4096),
      headers: { "Content-Type": "video/mp4" },
    });
    expectStatus(uploaded, 201);
    expect([await total(), await total("status=DOWNLOADED"), await total("status=READY,FAILED")]).toEqual([2, 1, 1]);
    expectStatus(await call(`/api/v1/recordings/${uploaded.body.id}`, { method: "DELETE", token: t.accessToken }), 200);
    expect([await total(), await total("include_deleted=true")]).toEqual([1, 2]);
    expectStatus(await call(`/api/v1/recordings/${uploaded.body.id}/restore`, { method: "POST", token: t.accessToken }), 200);
    expect(await total()).toBe(2);

    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(t.userId).run();
    expect(await tallyRows(t.userId)).toEqual({ rows: 0, n: 0 });
  });

  it("are rebuilt by the migration's backfill from existing rows", async () => {
    const t = await createTenant("tally-backfill");
    const template = await seedTemplate(t.userId, "Course");
    await seedRecordings(t.userId, [
      { displayName: "a", status: "READY", templateId: template, isMapped: true },
      { displayName: "b", status: "READY", templateId: template, isMapped: true },
      { displayName: "c", status: "SKIPPED", failed: true, deleted: true },
    ]);
    const before = await env.DB.prepare("SELECT * FROM recording_tallies WHERE user_id = ? ORDER BY status, deleted").bind(t.userId).all();
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.includes("recording_tallies"));
    const backfill = migration?.queries.find((q) => q.trimStart().startsWith("INSERT INTO `recording_tallies`"));
    expect(backfill).toBeDefined();
    await env.DB.prepare("DELETE FROM recording_tallies").run();
    await env.DB.prepare(backfill!).run();
    const after = await env.DB.prepare("SELECT * FROM recording_tallies WHERE user_id = ? ORDER BY status, deleted").bind(t.userId).all();
    expect(after.results).toEqual(before.results);
    await expectTalliesMatchRows(t.userId, [template], []);
  });
});
