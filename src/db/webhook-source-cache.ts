import type { inputSources, userCredentials } from "./schema";

export interface WebhookSource {
  source: typeof inputSources.$inferSelect;
  credential: typeof userCredentials.$inferSelect;
}

/**
 * How long an isolate answers a Zoom webhook from the source and credential it has read: the bound on
 * how late an edit or deletion made through another isolate reaches this one (the queue consumer
 * checks the source again before it stores anything). Edits through this isolate apply at once:
 * the sources and credentials repositories forget what they change.
 */
export const WEBHOOK_SOURCE_TTL_MS = 30_000;
const MAX_ENTRIES = 1_000;

const bySource = new Map<number, { found: WebhookSource; until: number }>();

export function cachedWebhookSource(sourceId: number, nowMs: number): WebhookSource | undefined {
  const entry = bySource.get(sourceId);
  if (entry && nowMs < entry.until) return entry.found;
  if (entry) bySource.delete(sourceId);
  return undefined;
}

/** Only sources that exist are kept: a source created a moment ago is never refused from memory. */
export function rememberWebhookSource(found: WebhookSource, nowMs: number): void {
  bySource.delete(found.source.id);
  if (bySource.size >= MAX_ENTRIES) {
    const oldest = bySource.keys().next();
    if (!oldest.done) bySource.delete(oldest.value);
  }
  bySource.set(found.source.id, { found, until: nowMs + WEBHOOK_SOURCE_TTL_MS });
}

export function forgetWebhookSource(sourceId: number): void {
  bySource.delete(sourceId);
}

export function forgetWebhookCredential(credentialId: number): void {
  for (const [sourceId, entry] of bySource) if (entry.found.credential.id === credentialId) bySource.delete(sourceId);
}
