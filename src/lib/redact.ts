/**
 * Secret redaction for anything that may reach a log line, an error report, a stored failure
 * reason or an API answer. Keys are matched by name (authorization headers, cookies, tokens,
 * passwords, secrets, signatures, API keys); string values are scrubbed of the secrets this
 * isolate has opened (see `rememberSecrets`) and of anything shaped like one (bearer and basic
 * credentials, JWTs, well-known API key formats, `key=…` pairs, `user:pass@` in URLs, signed URL
 * query strings, long opaque runs), because a secret can hide inside an innocent-looking message.
 */
const SECRET_KEY =
  /authorization|cookie|password|passwd|secret|token|signature|api[-_]?key|credential|private[-_]?key|client[-_]?secret|set-cookie/i;
export const REDACTED = "[REDACTED]";
const MAX_DEPTH = 6;

/** Names whose value follows a `:` or `=` (headers, query parameters, JSON fields, form fields). */
const SECRET_PARAM =
  "(?:x-)?api[-_]?key|apikey|access[-_]?token|refresh[-_]?token|id[-_]?token|auth[-_]?token|client[-_]?secret|webhook[-_]?secret[-_]?token|secret|password|passwd|authorization|token|signature|sig|key";

/** Characters of base64 / base64url / hex runs (no "/" or ".": paths and hosts stay readable). */
const OPAQUE = "A-Za-z0-9_+\\-";

const VALUE_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g, REDACTED],
  [/\brt_[A-Za-z0-9_-]{20,}/g, REDACTED],
  // Well-known key formats: OpenAI-style sk-…, Fireworks fw_…, Google ya29.… / 1//… / AIza…, Yandex y0_…, VK vk1.a.…, AWS AKIA…, GitHub, Slack.
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\b(?:fw_|y0_|gh[pousr]_|xox[abprs]-)[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\b(?:ya29\.|vk1\.a\.)[A-Za-z0-9._-]{8,}/g, REDACTED],
  [/(?<![A-Za-z0-9])1\/\/[A-Za-z0-9._-]{8,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, REDACTED],
  // user:password@ in any URL.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, `$1${REDACTED}@`],
  // Query strings of URLs carry signatures and download tokens (X-Amz-Signature, access_token…).
  [/(https?:\/\/[^\s?#"']+)\?[^\s#"']*/gi, `$1?${REDACTED}`],
  // api_key=…, "access_token": "…", x-api-key: …, password=… (a value already redacted or a scheme word is left alone).
  [new RegExp(`\\b(${SECRET_PARAM})(["']?\\s*[:=]\\s*["']?)(?!\\[REDACTED\\]|Bearer\\b|Basic\\b)[^\\s"'&,;<>()\\[\\]{}]+`, "gi"), `$1$2${REDACTED}`],
  // Long opaque runs (keys, tokens, signatures) of 32+ characters mixing letters and digits; UUIDs (ids) stay.
  [
    new RegExp(
      `(?<![${OPAQUE}=])(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![${OPAQUE}]))(?=[${OPAQUE}]*[0-9])(?=[${OPAQUE}]*[A-Za-z])[${OPAQUE}]{32,}=*`,
      "g",
    ),
    REDACTED,
  ],
];

/**
 * Secret values this isolate has decrypted (credential payloads, refreshed tokens), with their
 * URL-encoded and base64 spellings, newest last. Bounded: the oldest are forgotten first, and
 * they are only ever used to remove text, never to produce it.
 */
const MAX_KNOWN_SECRETS = 512;
/** Shorter values would redact ordinary words; every stored secret is longer (credential schemas). */
const MIN_SECRET_LENGTH = 8;
const knownSecrets = new Map<string, string[]>();

function spellings(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret)]);
  try {
    out.add(btoa(String.fromCharCode(...new TextEncoder().encode(secret))).replace(/=+$/, ""));
  } catch {
    // not encodable: the plain spellings are enough
  }
  return [...out].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Remembers secret values so every later redaction in this isolate removes them wherever they appear. */
export function rememberSecrets(values: Iterable<unknown>): void {
  for (const value of values) {
    if (typeof value !== "string") continue;
    const secret = value.trim();
    if (secret.length < MIN_SECRET_LENGTH) continue;
    knownSecrets.delete(secret);
    knownSecrets.set(secret, spellings(secret));
    if (knownSecrets.size > MAX_KNOWN_SECRETS) knownSecrets.delete(knownSecrets.keys().next().value!);
  }
}

/** Remembers the values of an object's secret-named fields (a decrypted credential payload). */
export function rememberSecretFields(payload: Record<string, unknown>): void {
  rememberSecrets(Object.entries(payload).flatMap(([key, value]) => (SECRET_KEY.test(key) ? [value] : [])));
}

function removeKnownSecrets(value: string): string {
  let out = value;
  for (const variants of knownSecrets.values()) {
    for (const variant of variants) if (out.includes(variant)) out = out.split(variant).join(REDACTED);
  }
  return out;
}

export function redactString(value: string): string {
  let out = removeKnownSecrets(value);
  for (const [pattern, replacement] of VALUE_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[Truncated]";
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) {
    return { name: value.name, message: redactString(value.message), stack: value.stack && redactString(value.stack) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redact(v, depth + 1);
  }
  return out;
}
