import { EmailMessagesRepository } from "../../db/repositories/email-messages.repository";
import { createEmailTransport, type EmailTransport } from "../../integrations/email";
import { ulid } from "../../lib/ids";
import { log } from "../../lib/logger";
import { secretBox } from "../../lib/secret-box";
import type { ServiceContext } from "../context";
import type { EmailContent } from "./layout";

/**
 * Delivery that loses nothing: `sendEmail` first stores the message (content sealed with
 * ENCRYPTION_KEYS, since it carries single-use links) as `pending`, then tries the transport once.
 * A retryable failure (timeout, network, 429, 5xx, an unreadable answer) leaves it pending with
 * `next_attempt_at` pushed back (the provider's Retry-After, else exponential backoff); the
 * every-minute cron (`deliverDueEmails`) retries due messages until EMAIL_MAX_ATTEMPTS, then marks
 * them failed. A permanent refusal (bad key, invalid address) fails at once. Retries are safe:
 * the message id is the provider's idempotency key.
 */
export interface OutgoingEmail extends EmailContent {
  to: string;
  /** The user the message is about (null for system mail); deleting the user deletes its pending mail. */
  userId: string | null;
  /** A short label (`verify-email`, `password-reset`, `notification.published` …), for logs and provider tags. */
  kind: string;
}

export type DeliveryStatus = "sent" | "pending" | "failed";

/** How long one attempt may hold a message before another may take it (longer than any transport timeout). */
const LEASE_MS = 120_000;
const BACKOFF_BASE_SECONDS = 60;
const BACKOFF_MAX_SECONDS = 3_600;
const ERROR_MAX_CHARS = 300;

export function retryDelaySeconds(attempts: number, retryAfterSeconds: number | null): number {
  const backoff = Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempts - 1));
  return retryAfterSeconds === null ? backoff : Math.min(BACKOFF_MAX_SECONDS, Math.max(retryAfterSeconds, 1));
}

/** Stores the message and makes the first delivery attempt; resolves once it is safely stored, whatever the transport did. */
export async function sendEmail(ctx: ServiceContext, email: OutgoingEmail, transport?: EmailTransport): Promise<{ id: string; status: DeliveryStatus }> {
  const id = ulid();
  const box = await secretBox(ctx.config.ENCRYPTION_KEYS);
  const sealedContent = await box.seal(JSON.stringify({ subject: email.subject, text: email.text, html: email.html }));
  await new EmailMessagesRepository(ctx.db).insert({ id, userId: email.userId, kind: email.kind, to: email.to, sealedContent, now: ctx.clock.now() });
  const status = await deliverEmail(ctx, id, transport);
  return { id, status: status ?? "pending" };
}

/**
 * One delivery attempt of a stored message, if it is due and nobody else holds it (null then).
 * Never throws for a transport failure; the outcome is recorded on the row.
 */
export async function deliverEmail(ctx: ServiceContext, id: string, transport?: EmailTransport): Promise<DeliveryStatus | null> {
  const repo = new EmailMessagesRepository(ctx.db);
  const now = ctx.clock.now();
  const row = await repo.claim(id, now, LEASE_MS);
  if (!row?.sealedContent) return null;
  const via = transport ?? createEmailTransport(ctx.config, ctx.env, () => ctx.clock.now());
  const content = JSON.parse(await (await secretBox(ctx.config.ENCRYPTION_KEYS)).open(row.sealedContent)) as EmailContent;
  let outcome;
  try {
    outcome = await via.send({ id: row.id, to: row.toAddress, from: ctx.config.EMAIL_FROM, kind: row.kind, ...content });
  } catch (error) {
    // A transport bug or an R2 hiccup: treated like a network failure, so the message is kept.
    outcome = { ok: false as const, retryable: true, reason: error instanceof Error ? error.name : "transport error", retryAfterSeconds: null };
  }
  if (outcome.ok) {
    await repo.markSent(id, { now: ctx.clock.now(), transport: via.name, providerMessageId: outcome.providerMessageId });
    log.info("e-mail sent", { emailId: id, kind: row.kind, transport: via.name, attempts: row.attempts });
    return "sent";
  }
  const reason = outcome.reason.slice(0, ERROR_MAX_CHARS);
  if (!outcome.retryable || row.attempts >= ctx.config.EMAIL_MAX_ATTEMPTS) {
    await repo.markFailed(id, { error: reason, transport: via.name });
    log.error("e-mail delivery failed for good", { emailId: id, kind: row.kind, transport: via.name, attempts: row.attempts, reason });
    return "failed";
  }
  const delay = retryDelaySeconds(row.attempts, outcome.retryAfterSeconds);
  await repo.scheduleRetry(id, { nextAttemptAt: new Date(ctx.clock.now().getTime() + delay * 1000), error: reason, transport: via.name });
  log.warn("e-mail delivery failed; will retry", { emailId: id, kind: row.kind, transport: via.name, attempts: row.attempts, delaySeconds: delay, reason });
  return "pending";
}

/** The cron's retry pass: attempts every due pending message, a bounded number per run. */
export async function deliverDueEmails(ctx: ServiceContext, limit = 50, transport?: EmailTransport): Promise<{ attempted: number; sent: number }> {
  const ids = await new EmailMessagesRepository(ctx.db).findDue(ctx.clock.now(), limit);
  let sent = 0;
  for (const id of ids) if ((await deliverEmail(ctx, id, transport)) === "sent") sent += 1;
  return { attempted: ids.length, sent };
}
