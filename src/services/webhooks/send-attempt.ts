import { safeFetch } from "../../integrations/safe-fetch";
import { OutboundUrlRefused, outboundPolicyFrom } from "../../lib/outbound-policy";
import { signWebhook } from "../../lib/webhook-signature";
import type { ServiceContext } from "../context";

/** What one POST to an endpoint came to; `retryable: false` only for URLs the policy refuses. */
export interface AttemptResult {
  ok: boolean;
  retryable: boolean;
  status: number | null;
  body: string | null;
  durationMs: number;
  error: string | null;
}

export const RESPONSE_BODY_MAX_BYTES = 1024;

/** The first `max` bytes of a body as text (the rest is cancelled, never buffered). */
async function readHead(response: Response, max: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < max) {
    const next = await reader.read();
    if (next.done) break;
    chunks.push(next.value);
    length += next.value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(Math.min(length, max));
  let offset = 0;
  for (const chunk of chunks) {
    const take = chunk.subarray(0, bytes.byteLength - offset);
    bytes.set(take, offset);
    offset += take.byteLength;
    if (offset >= bytes.byteLength) break;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Signs and POSTs one delivery. The URL passes the outbound policy again here (it was checked when
 * saved, but the policy or the URL's meaning can change), and redirects are never followed: a 3xx
 * counts as a failed attempt, as Standard Webhooks asks.
 */
export async function sendAttempt(
  ctx: ServiceContext,
  target: { url: string; secret: string },
  message: { id: string; payload: string },
): Promise<AttemptResult> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const timeoutMs = ctx.config.WEBHOOK_TIMEOUT_SECONDS * 1000;
  try {
    const headers = await signWebhook(target.secret, message.id, Math.floor(ctx.clock.now().getTime() / 1000), message.payload);
    const response = await safeFetch(
      target.url,
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "User-Agent": "lecture-publisher-webhooks/1", ...headers },
        body: message.payload,
        signal: AbortSignal.timeout(timeoutMs),
      },
      { policy: outboundPolicyFrom(ctx.config), maxRedirects: 0 },
    );
    const body = await readHead(response, RESPONSE_BODY_MAX_BYTES).catch(() => "");
    const ok = response.status >= 200 && response.status < 300;
    return { ok, retryable: true, status: response.status, body, durationMs: elapsed(), error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    if (error instanceof OutboundUrlRefused) {
      const redirect = error.rule === "redirect_limit";
      return {
        ok: false,
        retryable: redirect,
        status: null,
        body: null,
        durationMs: elapsed(),
        error: redirect ? "The endpoint answered with a redirect (redirects are not followed)" : error.message,
      };
    }
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      ok: false,
      retryable: true,
      status: null,
      body: null,
      durationMs: elapsed(),
      error: timedOut ? `No answer within ${ctx.config.WEBHOOK_TIMEOUT_SECONDS} s` : `Network error: ${error instanceof Error ? error.message.slice(0, 200) : "unknown"}`,
    };
  }
}
