import slugify from "slugify";

/**
 * A `Content-Disposition` value with a file name made from a display name (RFC 6266): the
 * readable name, Cyrillic kept, in `filename*` (RFC 8187 UTF-8 percent-encoding), and an ASCII
 * transliteration (slugify's character map) in `filename` for old clients. Path separators,
 * quotes, control and format characters and other characters file systems refuse are dropped,
 * so the name can neither climb directories nor break out of the header.
 */
const MAX_NAME_CHARACTERS = 120;
// Controls (incl. CR/LF/NUL), format characters (bidi overrides), separators and reserved characters.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}/\\"'<>:*?|%;`]/gu;

export function safeFileStem(displayName: string, fallback: string): string {
  const cleaned = displayName
    .normalize("NFC")
    .replace(UNSAFE, " ")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  const stem = Array.from(cleaned).slice(0, MAX_NAME_CHARACTERS).join("").trim();
  return stem === "" ? fallback : stem;
}

function asciiFallback(fileName: string, fallback: string): string {
  const transliterated = slugify(fileName, { replacement: " ", trim: true, remove: /[^\p{L}\p{N} ._()-]/gu })
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\%]/g, "_")
    .replace(/\s+/g, " ")
    .trim();
  // A name that was all symbols or an unmapped script leaves no letter or digit: use the fallback.
  return /[A-Za-z0-9]/.test(transliterated.replace(/\.[A-Za-z0-9]+$/, "")) ? transliterated : fallback;
}

/** RFC 8187 attr-char: everything else is percent-encoded (encodeURIComponent leaves ' ( ) * ! alone). */
const encodeExtValue = (value: string) => encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function contentDisposition(type: "inline" | "attachment", stem: string, extension: string, fallbackStem: string): string {
  const fileName = `${stem}.${extension}`;
  const ascii = asciiFallback(fileName, `${fallbackStem}.${extension}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeExtValue(fileName)}`;
}
