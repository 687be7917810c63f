/**
 * Cloudflare Queues refuse a message over 128 KB. The bound leaves room for the queue's own
 * envelope, so a message that passes here is never refused for its size.
 */
export const QUEUE_MESSAGE_MAX_BYTES = 120_000;

/** Bytes of a message as the queue stores it (JSON, UTF-8). */
export function queueMessageBytes(message: unknown): number {
  return new TextEncoder().encode(JSON.stringify(message)).byteLength;
}
