import { base64UrlToBytes, bytesToBase64Url, utf8, utf8Decoder } from "./encoding";

/** Minimal HS256 JWT (RFC 7519) over WebCrypto: we only ever verify tokens we issued. */
export interface JwtClaims {
  sub: string;
  iat: number;
  exp: number;
  [claim: string]: unknown;
}

const HEADER = bytesToBase64Url(utf8.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", utf8.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

export async function signJwt(claims: JwtClaims, secret: string): Promise<string> {
  const payload = bytesToBase64Url(utf8.encode(JSON.stringify(claims)));
  const signingInput = `${HEADER}.${payload}`;
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), utf8.encode(signingInput));
  return `${signingInput}.${bytesToBase64Url(new Uint8Array(signature))}`;
}

/** Returns the claims of a valid, unexpired token, or null for anything else. Never throws. */
export async function verifyJwt(token: string, secret: string, nowSeconds: number): Promise<JwtClaims | null> {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  if (header !== HEADER) return null; // pins alg=HS256: no "none", no algorithm confusion
  try {
    const valid = await crypto.subtle.verify(
      "HMAC",
      await hmacKey(secret),
      base64UrlToBytes(signature),
      utf8.encode(`${header}.${payload}`),
    );
    if (!valid) return null;
    const claims: unknown = JSON.parse(utf8Decoder.decode(base64UrlToBytes(payload)));
    if (!isClaims(claims) || claims.exp <= nowSeconds) return null;
    return claims;
  } catch {
    return null; // malformed base64 or JSON
  }
}

function isClaims(value: unknown): value is JwtClaims {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Record<string, unknown>;
  return typeof c.sub === "string" && typeof c.iat === "number" && typeof c.exp === "number";
}
