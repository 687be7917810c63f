import { base64UrlToBytes, bytesToBase64Url, utf8, utf8Decoder } from "./encoding";

/**
 * AES-256-GCM for secrets at rest. `ENCRYPTION_KEYS` lists `keyId:base64key` pairs separated by
 * commas, newest first: the newest encrypts, every listed key decrypts, so keys rotate by adding a
 * new one in front and re-encrypting (see `services/credentials/reencrypt.ts`). Each sealed value
 * is `keyId.iv.ciphertext` (base64url), so it names the key that opens it.
 */
export interface SecretBox {
  readonly currentKeyId: string;
  seal(plaintext: string): Promise<string>;
  open(sealed: string): Promise<string>;
  keyIdOf(sealed: string): string;
}

export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;
const boxes = new Map<string, Promise<SecretBox>>();

export function secretBox(encryptionKeys: string): Promise<SecretBox> {
  let box = boxes.get(encryptionKeys);
  if (!box) {
    box = buildBox(encryptionKeys);
    boxes.set(encryptionKeys, box);
    box.catch(() => boxes.delete(encryptionKeys));
  }
  return box;
}

async function buildBox(encryptionKeys: string): Promise<SecretBox> {
  const entries = encryptionKeys
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new SecretBoxError("ENCRYPTION_KEYS is not configured");
  const keys = new Map<string, CryptoKey>();
  for (const entry of entries) {
    const [id, material] = entry.split(":");
    if (!id || !KEY_ID.test(id) || !material) throw new SecretBoxError("ENCRYPTION_KEYS entries must be keyId:base64key");
    const raw = base64UrlToBytes(material.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
    if (raw.byteLength !== 32) throw new SecretBoxError(`encryption key ${id} must be 32 bytes`);
    keys.set(id, await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
  }
  const currentKeyId = entries[0]!.split(":")[0]!;
  const current = keys.get(currentKeyId)!;
  return {
    currentKeyId,
    keyIdOf: (sealed) => sealed.split(".")[0] ?? "",
    async seal(plaintext) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, current, utf8.encode(plaintext));
      return `${currentKeyId}.${bytesToBase64Url(iv)}.${bytesToBase64Url(new Uint8Array(ciphertext))}`;
    },
    async open(sealed) {
      const [id, iv, data] = sealed.split(".");
      const key = id ? keys.get(id) : undefined;
      if (!key || !iv || !data) throw new SecretBoxError(`no key can open this value (key id "${id ?? ""}")`);
      try {
        const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: base64UrlToBytes(iv) }, key, base64UrlToBytes(data));
        return utf8Decoder.decode(plain);
      } catch {
        throw new SecretBoxError(`value sealed with key ${id} failed authentication`);
      }
    },
  };
}
