import { hmacSha256Hex, timingSafeEqual } from "../../lib/crypto";
import { utf8 } from "../../lib/encoding";

/** Zoom's replay window: deliveries signed more than this long ago (or ahead) are refused. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** `v0=` + hex(HMAC-SHA256(secret, "v0:{timestamp}:{rawBody}")) over the raw bytes as received. */
export async function zoomSignature(secret: string, timestamp: string, rawBody: string): Promise<string> {
  return `v0=${await hmacSha256Hex(secret, `v0:${timestamp}:${rawBody}`)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing_headers" | "stale_timestamp" | "bad_signature" };

export async function verifyZoomSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  nowSeconds: number;
}): Promise<SignatureCheck> {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: "missing_headers" };
  const sentAt = Number(timestamp);
  // Zoom sends seconds; tolerate milliseconds too (some test tools and the published vectors use them).
  const seconds = sentAt > 1e12 ? sentAt / 1000 : sentAt;
  if (!Number.isFinite(seconds) || Math.abs(input.nowSeconds - seconds) > MAX_CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: "stale_timestamp" };
  }
  const expected = await zoomSignature(input.secret, timestamp, input.rawBody);
  return timingSafeEqual(utf8.encode(expected), utf8.encode(signature)) ? { ok: true } : { ok: false, reason: "bad_signature" };
}

/** The endpoint.url_validation answer. */
export async function urlValidationResponse(secret: string, plainToken: string) {
  return { plainToken, encryptedToken: await hmacSha256Hex(secret, plainToken) };
}
