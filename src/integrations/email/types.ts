/**
 * The one interface every e-mail transport implements. Services never call a transport directly:
 * they call `sendEmail` in `services/email/`, which keeps the message until a transport accepted it.
 */
export interface EmailMessage {
  /** Stable id of this message: the outbox object name and the HTTP API's idempotency key, so a retry never sends twice. */
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Short label of what kind of message this is (`verify-email`, `password-reset`, …), for logs and provider tags. */
  kind: string;
}

export type SendOutcome =
  | { ok: true; providerMessageId: string | null }
  /**
   * `retryable`: the message may go through later (network, timeout, 429, 5xx, a malformed answer
   * to an accepted request); otherwise the provider refused it for good (bad key, bad address).
   */
  | { ok: false; retryable: boolean; reason: string; retryAfterSeconds: number | null };

export interface EmailTransport {
  readonly name: EmailTransportName;
  /** Never throws for a provider failure: it answers a classified outcome. */
  send(message: EmailMessage): Promise<SendOutcome>;
}

export const EMAIL_TRANSPORTS = ["outbox", "resend"] as const;
export type EmailTransportName = (typeof EMAIL_TRANSPORTS)[number];
