import { OutboundUrlRefused } from "../../lib/outbound-policy";
import { sanitizeProviderMessage } from "../../lib/sanitize-provider-message";
import type { OutboundSend } from "../safe-fetch";
import { parseRetryAfter } from "../zoom/errors";
import type { EmailMessage, EmailTransport, SendOutcome } from "./types";

export interface ResendOptions {
  /** `https://api.resend.com` in production; a fake in tests. */
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  /** The policed fetch (integrations/safe-fetch.ts). */
  send: OutboundSend;
}

const MAX_REASON_CHARS = 200;

/**
 * Resend's HTTP API: `POST {base}/emails` with a Bearer key; 200 `{"id"}`. The message id is the
 * Idempotency-Key (Resend keeps it 24 h), so a retry after a timeout whose request did arrive sends
 * nothing twice. 429 and 5xx, timeouts, network errors and an unreadable 2xx are retryable; any
 * other 4xx (bad key, unverified domain, invalid address) is permanent.
 */
export function resendTransport(options: ResendOptions): EmailTransport {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/emails`;
  return {
    name: "resend",
    async send(message: EmailMessage): Promise<SendOutcome> {
      let response: Response;
      try {
        response = await options.send(url, {
          method: "POST",
          headers: {
            Authorization: `Bearer ${options.apiKey}`,
            "Content-Type": "application/json",
            "Idempotency-Key": message.id,
          },
          body: JSON.stringify({
            from: message.from,
            to: [message.to],
            subject: message.subject,
            text: message.text,
            html: message.html,
            tags: [{ name: "kind", value: message.kind.replace(/[^A-Za-z0-9_-]/g, "_") }],
          }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        if (error instanceof OutboundUrlRefused) return { ok: false, retryable: false, reason: `EMAIL_API_BASE_URL refused: ${error.message}`, retryAfterSeconds: null };
        const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        return { ok: false, retryable: true, reason: timedOut ? `no answer within ${options.timeoutMs} ms` : "network error", retryAfterSeconds: null };
      }
      const text = await response.text().catch(() => "");
      if (response.ok) {
        const id = readId(text);
        // Accepted but unreadable: the idempotency key makes sending it again safe.
        if (id === null) return { ok: false, retryable: true, reason: `malformed ${response.status} answer`, retryAfterSeconds: null };
        return { ok: true, providerMessageId: id };
      }
      const reason = `HTTP ${response.status} (${sanitizeProviderMessage(readMessage(text), MAX_REASON_CHARS) || "no detail"})`;
      const retryable = response.status === 429 || response.status >= 500 || response.status === 408;
      return { ok: false, retryable, reason, retryAfterSeconds: retryable ? parseRetryAfter(response.headers.get("Retry-After")) : null };
    },
  };
}

function readId(text: string): string | null {
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === "object" && typeof (body as { id?: unknown }).id === "string") return (body as { id: string }).id;
  } catch {
    // falls through
  }
  return null;
}

/** Resend's errors are `{"statusCode","name","message"}`. */
function readMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; name?: unknown };
    if (typeof body.message === "string") return body.message;
    if (typeof body.name === "string") return body.name;
  } catch {
    // not JSON
  }
  return text.trim().startsWith("<") ? "" : text.slice(0, 1_000);
}
