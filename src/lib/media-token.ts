import { z } from "zod";
import { timingSafeEqual } from "./crypto";
import { base64UrlToBytes, bytesToBase64Url, utf8, utf8Decoder } from "./encoding";

/**
 * Signed media URLs: `<base64url(claims JSON)>.<base64url(HMAC-SHA256)>`. The MAC covers the
 * object key, the owner's user id, the expiry, the disposition, the recording, the kind and the
 * share (when the URL was made for a share link), so no field can be changed without the key.
 * The HMAC key is derived from JWT_SECRET with HKDF-SHA256 under its own info label: the JWT
 * secret itself never signs a URL, and a URL MAC can never be replayed as a JWT signature.
 */
export const MEDIA_KINDS = ["original", "processed", "audio", "transcript", "srt", "vtt"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
export type Disposition = "inline" | "attachment";

export interface MediaClaims {
  /** Owner of the recording. */
  u: string;
  r: number;
  k: MediaKind;
  /** The R2 key the URL was made for (ids only, lib/storage-keys.ts). */
  key: string;
  /** Expiry, epoch seconds. */
  e: number;
  d: Disposition;
  /** The share link the URL was made for, if any: the URL stops when the link is revoked or expires. */
  s?: number;
}

const ClaimsSchema = z
  .object({
    u: z.string().min(1).max(64),
    r: z.number().int().positive(),
    k: z.enum(MEDIA_KINDS),
    key: z.string().min(1).max(512),
    e: z.number().int().positive(),
    d: z.enum(["inline", "attachment"]),
    s: z.number().int().positive().optional(),
  })
  .strict();

const HKDF_INFO = "lecture-publisher/media-url/v1";
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,1500}\.[A-Za-z0-9_-]{43}$/;
export const MAX_MEDIA_TOKEN_LENGTH = 1600;

const keys = new Map<string, Promise<CryptoKey>>();

function macKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey("raw", utf8.encode(secret), "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8.encode(HKDF_INFO) },
        ikm,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign"],
      );
    })();
    keys.set(secret, key);
  }
  return key;
}

/** The exact bytes the MAC covers: one field per line (none of them can hold a newline). */
const macInput = (c: MediaClaims) => utf8.encode(["media-url-v1", c.key, c.u, String(c.e), c.d, String(c.r), c.k, c.s === undefined ? "" : String(c.s)].join("\n"));

async function mac(secret: string, claims: MediaClaims): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await macKey(secret), macInput(claims)));
}

export async function signMediaToken(secret: string, claims: MediaClaims): Promise<string> {
  const body = bytesToBase64Url(utf8.encode(JSON.stringify(claims)));
  return `${body}.${bytesToBase64Url(await mac(secret, claims))}`;
}

export type MediaTokenCheck = { valid: true; claims: MediaClaims } | { valid: false; reason: "malformed" | "signature" | "expired" };

/** Checks shape, MAC (constant time) and expiry, in that order; never throws. */
export async function verifyMediaToken(secret: string, token: string, nowSeconds: number): Promise<MediaTokenCheck> {
  if (token.length > MAX_MEDIA_TOKEN_LENGTH || !TOKEN_SHAPE.test(token)) return { valid: false, reason: "malformed" };
  const [body = "", signature = ""] = token.split(".");
  let claims: MediaClaims;
  try {
    const parsed = ClaimsSchema.safeParse(JSON.parse(utf8Decoder.decode(base64UrlToBytes(body))));
    if (!parsed.success) return { valid: false, reason: "malformed" };
    claims = parsed.data;
  } catch {
    return { valid: false, reason: "malformed" };
  }
  if (!timingSafeEqual(await mac(secret, claims), base64UrlToBytes(signature))) return { valid: false, reason: "signature" };
  if (claims.e <= nowSeconds) return { valid: false, reason: "expired" };
  return { valid: true, claims };
}
