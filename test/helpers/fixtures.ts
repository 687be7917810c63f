import { env } from "cloudflare:workers";

/** The first bytes of real containers, padded: enough for the magic-byte check. */
export function fakeMp4(size = 4096, fill = 7): Uint8Array {
  const bytes = new Uint8Array(size).fill(fill);
  bytes.set([0, 0, 0, 0x18, ...new TextEncoder().encode("ftypisom"), 0, 0, 2, 0]);
  return bytes;
}

export const PNG_HEADER = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

export interface SeedRecording {
  displayName: string;
  status?: string;
  startTime?: number;
  failed?: boolean;
  isMapped?: boolean;
  blank?: boolean;
  deleted?: boolean;
  templateId?: number | null;
  inputSourceId?: number | null;
  duration?: number;
}

/** Inserts recordings straight into D1 (fast set-up for list/match tests); returns their ids. */
export async function seedRecordings(userId: string, rows: SeedRecording[]): Promise<number[]> {
  const ids: number[] = [];
  const now = Date.now();
  for (const r of rows) {
    const row = await env.DB.prepare(
      `INSERT INTO recordings (user_id, display_name, search_name, start_time, duration, status, failed, is_mapped,
        blank_record, deleted, delete_state, template_id, input_source_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
      .bind(
        userId,
        r.displayName,
        r.displayName.toLowerCase(),
        r.startTime ?? now,
        r.duration ?? 3600,
        r.status ?? "SKIPPED",
        r.failed ? 1 : 0,
        r.isMapped ? 1 : 0,
        r.blank ? 1 : 0,
        r.deleted ? 1 : 0,
        r.deleted ? "soft" : "active",
        r.templateId ?? null,
        r.inputSourceId ?? null,
        now + ids.length,
        now + ids.length,
      )
      .first<{ id: number }>();
    if (!row) throw new Error("seed insert failed");
    ids.push(row.id);
  }
  return ids;
}

export async function seedCredential(userId: string, platform: string): Promise<number> {
  const now = Date.now();
  const row = await env.DB.prepare(
    `INSERT INTO user_credentials (user_id, platform, account_name, encrypted_data, key_id, fingerprint, hint, created_at, updated_at)
     VALUES (?, ?, 'test', 'not-decryptable-fixture', 'k0', ?, '••••test', ?, ?) RETURNING id`,
  )
    .bind(userId, platform, `fixture-${crypto.randomUUID()}`, now, now)
    .first<{ id: number }>();
  if (!row) throw new Error("credential insert failed");
  return row.id;
}
