/**
 * Secret redaction for anything that may reach a log line or an error report. Keys are matched
 * by name (authorization headers, cookies, tokens, passwords, secrets, signatures, API keys);
 * string values are scrubbed of bearer tokens, JWTs and signed-URL query strings wherever they
 * appear, because a secret can hide inside an innocent-looking message.
 */
const SECRET_KEY =
  /authorization|cookie|password|passwd|secret|token|signature|api[-_]?key|credential|private[-_]?key|client[-_]?secret|set-cookie/i;
const REDACTED = "[REDACTED]";
const MAX_DEPTH = 6;

const VALUE_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g, REDACTED],
  [/\brt_[A-Za-z0-9_-]{20,}/g, REDACTED],
  // Query strings of URLs carry signatures and download tokens (X-Amz-Signature, access_token…).
  [/(https?:\/\/[^\s?#"']+)\?[^\s#"']*/gi, `$1?${REDACTED}`],
];

export function redactString(value: string): string {
  let out = value;
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
