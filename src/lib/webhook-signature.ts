import { utf8 } from "./encoding";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, "Signature scheme"): the secret is
 * `whsec_` + base64 of 24–64 random bytes; the signed content is `${id}.${timestamp}.${body}`; the
 * `webhook-signature` header is `v1,` + base64(HMAC-SHA256(secret bytes, content)).
 */
export const SECRET_PREFIX = "whsec_";
const SECRET_BODY = /^[A-Za-z0-9+/]+={0,2}$/;
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

function fromBase64(value: string): Uint8Array | null {
  if (!SECRET_BODY.test(value) || value.length % 4 !== 0) return null;
  try {
    return Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The secret's key bytes, or null when it is not a valid `whsec_` secret of 24–64 bytes. */
export function secretBytes(secret: string): Uint8Array | null {
  if (!secret.startsWith(SECRET_PREFIX)) return null;
  const bytes = fromBase64(secret.slice(SECRET_PREFIX.length));
  return bytes && bytes.length >= MIN_SECRET_BYTES && bytes.length <= MAX_SECRET_BYTES ? bytes : null;
}

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The three Standard Webhooks headers for `body` sent as message `id` at `timestampSeconds`. */
export async function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): Promise<SignedHeaders> {
  const key = secretBytes(secret);
  if (!key) throw new Error("invalid webhook secret");
  const hmac = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", hmac, utf8.encode(`${id}.${timestampSeconds}.${body}`));
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": `v1,${toBase64(new Uint8Array(mac))}` };
}
