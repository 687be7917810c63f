import { timingSafeEqual } from "./crypto";
import { base64UrlToBytes, bytesToBase64Url, utf8 } from "./encoding";

/**
 * PBKDF2-SHA256 password hashing via WebCrypto. Workers cap PBKDF2 at 100 000 iterations, which
 * is our default. The stored format carries its parameters so they can change later:
 * `pbkdf2_sha256$<iterations>$<salt b64url>$<hash b64url>`.
 */
const ALGORITHM = "pbkdf2_sha256";
const SALT_BYTES = 16;
const KEY_BITS = 256;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", utf8.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, KEY_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations: number): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `${ALGORITHM}$${iterations}$${bytesToBase64Url(salt)}$${bytesToBase64Url(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, iterationsText, saltText, hashText] = stored.split("$");
  const iterations = Number(iterationsText);
  if (algorithm !== ALGORITHM || !saltText || !hashText || !Number.isInteger(iterations)) return false;
  const expected = base64UrlToBytes(hashText);
  const actual = await derive(password, base64UrlToBytes(saltText), iterations);
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of a random password, used to spend the same time on an unknown e-mail as on a wrong
 * password, so response timing does not reveal which accounts exist.
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(iterations: number): Promise<string> {
  decoyHash ??= hashPassword(bytesToBase64Url(crypto.getRandomValues(new Uint8Array(16))), iterations);
  return decoyHash;
}
