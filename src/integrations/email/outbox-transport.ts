import { monotonicFactory } from "ulidx";
import { log } from "../../lib/logger";
import type { EmailMessage, EmailTransport, SendOutcome } from "./types";

/** Where development and test mail lands in R2 (`outbox/{monotonic ULID}-{id}.json`). */
export const OUTBOX_PREFIX = "outbox/";

/** Strictly increasing within the isolate even inside one millisecond, so a listing is in send order. */
const nextSequence = monotonicFactory();

export interface OutboxEntry extends EmailMessage {
  sent_at: string;
  /** The http(s) links of the text part, so a developer can follow a verification link from the log. */
  links: string[];
}

const LINK = /https?:\/\/[^\s<>"')]+/g;

const outboxKey = (id: string): string => `${OUTBOX_PREFIX}${nextSequence()}-${id}.json`;

/**
 * Development transport: the message is written to R2 and its links to the log, so `npm run dev`
 * needs no e-mail account. Keys sort in send order, so a listing is chronological.
 */
export function outboxTransport(bucket: R2Bucket, now: () => Date): EmailTransport {
  return {
    name: "outbox",
    async send(message: EmailMessage): Promise<SendOutcome> {
      const sentAt = now();
      const entry: OutboxEntry = { ...message, sent_at: sentAt.toISOString(), links: message.text.match(LINK) ?? [] };
      await bucket.put(outboxKey(message.id), JSON.stringify(entry), { httpMetadata: { contentType: "application/json" } });
      // Only the outbox (development/test) logs links: they carry single-use tokens.
      log.info("e-mail written to the dev outbox", { emailId: message.id, kind: message.kind, to: message.to, links: entry.links });
      return { ok: true, providerMessageId: null };
    },
  };
}

/** The newest `limit` outbox messages, newest first, optionally only those to one address. */
export async function listOutbox(bucket: R2Bucket, options: { to?: string; limit: number }): Promise<OutboxEntry[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: OUTBOX_PREFIX, cursor });
    for (const object of page.objects) keys.push(object.key);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  keys.sort().reverse();
  const entries: OutboxEntry[] = [];
  for (const key of keys) {
    if (entries.length >= options.limit) break;
    const object = await bucket.get(key);
    if (!object) continue;
    const entry = await object.json<OutboxEntry>();
    if (options.to === undefined || entry.to === options.to) entries.push(entry);
  }
  return entries;
}
