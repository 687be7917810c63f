import { redactString } from "./redact";

/** How long a provider's message may be where it is stored or shown. */
export const PROVIDER_MESSAGE_MAX_CHARS = 500;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this sanitiser removes from provider messages.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * The one sanitiser for text that came from a provider (an error body, a status reason, a stage
 * failure that quotes one) before it is stored, returned or logged (guarantee 5): the secrets
 * this isolate has decrypted and anything shaped like a secret are removed (the patterns of
 * `redactString`, which the logger applies too), control characters dropped, and the length
 * capped. Idempotent, so a message may pass through it at every layer it crosses.
 */
export function sanitizeProviderMessage(message: string, maxChars: number = PROVIDER_MESSAGE_MAX_CHARS): string {
  const clean = redactString(message.replace(CONTROL, "")).trim();
  if (clean.length <= maxChars) return clean;
  // Never cut inside a surrogate pair.
  const cut = clean.slice(0, maxChars - 1).replace(/[\uD800-\uDBFF]$/, "");
  return `${cut}…`;
}
