import { forTenant } from "../../db/repositories/tenant";
import type { RecordingPatch, RecordingRow } from "../../db/repositories/recordings.repository";
import type { TemplateRow } from "../../db/repositories/templates.repository";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { findMatchingTemplate, type MatchableTemplate } from "./matcher";
import type { MatchingRules } from "./matching-rules";
import { NO_TEMPLATE_REASON } from "../recordings/skip-reasons";

export const REMATCH_PAGE = 500;

export function toMatchable(template: TemplateRow): MatchableTemplate & { row: TemplateRow } {
  return {
    id: template.id,
    isActive: template.isActive,
    isDraft: template.isDraft,
    createdAt: template.createdAt,
    matchingRules: (template.matchingRules as MatchingRules | null) ?? null,
    row: template,
  };
}

/** The change a rematch makes to one recording, or null when it already agrees. */
export function rematchPatch(recording: RecordingRow, templateId: number | null): RecordingPatch | null {
  if (recording.templateId === templateId && recording.isMapped === (templateId !== null)) return null;
  const patch: RecordingPatch = { templateId, isMapped: templateId !== null };
  if (templateId !== null && recording.status === "SKIPPED") patch.status = "INITIALIZED";
  if (templateId === null && recording.status === "INITIALIZED") Object.assign(patch, { status: "SKIPPED", skipReason: NO_TEMPLATE_REASON });
  return patch;
}

/**
 * Re-evaluates template matching for a tenant's not-yet-processed recordings, one page at a
 * time in id order; returns where to continue. Idempotent: a repeated page changes nothing.
 */
export async function rematchPage(
  ctx: ServiceContext,
  userId: string,
  options: { onlyUnmapped: boolean; afterId: number },
): Promise<{ checked: number; changed: number; nextAfterId: number | null }> {
  const tenant = forTenant(ctx.db, userId);
  const templates = (await tenant.templates.listMatchable()).map(toMatchable);
  const candidates = await tenant.recordings.rematchCandidates(options.onlyUnmapped, options.afterId, REMATCH_PAGE);
  const now = ctx.clock.now();
  const changes: Array<{ id: number; patch: RecordingPatch }> = [];
  const uses = new Map<number, number>();
  for (const recording of candidates) {
    const match = findMatchingTemplate({ displayName: recording.displayName, inputSourceId: recording.inputSourceId }, templates);
    const patch = rematchPatch(recording, match?.id ?? null);
    if (!patch) continue;
    changes.push({ id: recording.id, patch: { ...patch, updatedAt: now } });
    if (match) uses.set(match.id, (uses.get(match.id) ?? 0) + 1);
  }
  await tenant.recordings.updateMany(changes);
  const changed = changes.length;
  for (const [templateId, count] of uses) await tenant.templates.recordUse(templateId, count, now);
  const last = candidates.at(-1);
  return { checked: candidates.length, changed, nextAfterId: candidates.length === REMATCH_PAGE && last ? last.id : null };
}

/** Runs the first page inline (the common case: a few hundred candidates) and queues the rest. */
export async function rematch(ctx: ServiceContext, userId: string, onlyUnmapped: boolean) {
  const first = await rematchPage(ctx, userId, { onlyUnmapped, afterId: 0 });
  if (first.nextAfterId !== null) {
    await enqueue(ctx.env, { type: "templates.rematch", userId, onlyUnmapped, afterId: first.nextAfterId });
  }
  log.info("templates rematched", { checked: first.checked, changed: first.changed, continued: first.nextAfterId !== null });
  return { checked: first.checked, changed: first.changed, continued: first.nextAfterId !== null };
}

/** Queue handler for the continuation pages. */
export async function continueRematch(ctx: ServiceContext, message: { userId: string; onlyUnmapped: boolean; afterId: number }) {
  const page = await rematchPage(ctx, message.userId, message);
  if (page.nextAfterId !== null) {
    await enqueue(ctx.env, { ...message, type: "templates.rematch", afterId: page.nextAfterId });
  }
  log.info("templates rematch page", { checked: page.checked, changed: page.changed });
}
