/**
 * What each platform accepts, enforced on the rendered metadata (LEAP sent whatever came out,
 * and YouTube refused it). Every change made here is reported as a warning.
 */

export interface MetadataWarning {
  code: string;
  message: string;
}

export const YOUTUBE_LIMITS = { titleChars: 100, descriptionBytes: 5000, tagsChars: 500 } as const;
export const VK_LIMITS = { titleChars: 128, descriptionChars: 5000 } as const;
const FILE_NAME_MAX_CHARS = 200;

const ELLIPSIS = "…";
const utf8 = new TextEncoder();
const byteLength = (s: string) => utf8.encode(s).length;
const charLength = (s: string) => Array.from(s).length;

/** One line: newlines and runs of spaces become one space. */
export const singleLine = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * Cuts `text` to fit `fits`, at a word boundary when one is close enough (within the last 30% of
 * what fits), and ends it with "…". Code points are never split.
 */
export function truncateText(text: string, fits: (s: string) => boolean): string {
  if (fits(text)) return text;
  const chars = Array.from(text);
  let low = 0;
  let high = chars.length;
  // The longest prefix that still fits with the ellipsis appended.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(chars.slice(0, mid).join("") + ELLIPSIS)) low = mid;
    else high = mid - 1;
  }
  let cut = chars.slice(0, low).join("");
  const nextIsBreak = low < chars.length && /\s/.test(chars[low]!);
  if (!nextIsBreak) {
    const lastSpace = cut.search(/\s\S*$/);
    if (lastSpace > cut.length * 0.7) cut = cut.slice(0, lastSpace);
  }
  cut = cut.replace(/[\s,;:.\-–—|]+$/u, "");
  return cut + ELLIPSIS;
}

/** YouTube rejects `<` and `>` in titles, descriptions and tags; look-alike angle quotes keep the meaning. */
function replaceAngleBrackets(s: string): string {
  return s.replace(/</g, "‹").replace(/>/g, "›");
}

export function limitYouTube(input: { title: string; description: string; tags: string[] }) {
  const warnings: MetadataWarning[] = [];
  let title = singleLine(input.title);
  let description = input.description;
  if (/[<>]/.test(title) || /[<>]/.test(description)) {
    title = replaceAngleBrackets(title);
    description = replaceAngleBrackets(description);
    warnings.push({ code: "youtube_angle_brackets", message: "YouTube does not accept < or > in a title or description; replaced with ‹ ›" });
  }
  if (charLength(title) > YOUTUBE_LIMITS.titleChars) {
    title = truncateText(title, (s) => charLength(s) <= YOUTUBE_LIMITS.titleChars);
    warnings.push({ code: "title_truncated", message: `The title was cut to YouTube's ${YOUTUBE_LIMITS.titleChars} characters` });
  }
  if (byteLength(description) > YOUTUBE_LIMITS.descriptionBytes) {
    description = truncateText(description, (s) => byteLength(s) <= YOUTUBE_LIMITS.descriptionBytes);
    warnings.push({ code: "description_truncated", message: `The description was cut to YouTube's ${YOUTUBE_LIMITS.descriptionBytes} bytes (UTF-8)` });
  }
  const { tags, dropped } = limitYouTubeTags(input.tags);
  if (dropped.length > 0) {
    warnings.push({ code: "tags_dropped", message: `Tags over YouTube's ${YOUTUBE_LIMITS.tagsChars}-character total were left out: ${dropped.join(", ")}` });
  }
  return { title, description, tags, warnings };
}

/**
 * YouTube counts the tags together: each tag's characters, two more for the quotes around a tag
 * with a space, and a comma between tags; at most 500. Tags are cleaned (no `<`/`>`, no blanks,
 * no duplicates) and kept in order until the budget is spent.
 */
export function limitYouTubeTags(input: string[]): { tags: string[]; dropped: string[] } {
  const tags: string[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  let used = 0;
  for (const raw of input) {
    const tag = singleLine(raw.replace(/[<>]/g, ""));
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    const cost = charLength(tag) + (/\s/.test(tag) ? 2 : 0) + (tags.length > 0 ? 1 : 0);
    if (used + cost > YOUTUBE_LIMITS.tagsChars) {
      dropped.push(tag);
      continue;
    }
    tags.push(tag);
    used += cost;
  }
  return { tags, dropped };
}

export function limitVk(input: { title: string; description: string }) {
  const warnings: MetadataWarning[] = [];
  let title = singleLine(input.title);
  let description = input.description;
  if (charLength(title) > VK_LIMITS.titleChars) {
    title = truncateText(title, (s) => charLength(s) <= VK_LIMITS.titleChars);
    warnings.push({ code: "title_truncated", message: `The title was cut to VK's ${VK_LIMITS.titleChars} characters` });
  }
  if (charLength(description) > VK_LIMITS.descriptionChars) {
    description = truncateText(description, (s) => charLength(s) <= VK_LIMITS.descriptionChars);
    warnings.push({ code: "description_truncated", message: `The description was cut to VK's ${VK_LIMITS.descriptionChars} characters` });
  }
  return { title, description, warnings };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are not allowed in file names on the platforms; matching them is the point.
const RESERVED_FILE_CHARS = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;

/**
 * A file name from a title that every file system (and Yandex Disk) accepts: no path separators,
 * reserved or control characters, no leading/trailing dots or spaces, at most 200 characters.
 */
export function safeFileName(title: string, fallback: string): string {
  let name = singleLine(title.replace(RESERVED_FILE_CHARS, " "));
  name = name.replace(/^[.\s]+|[.\s]+$/g, "");
  if (charLength(name) > FILE_NAME_MAX_CHARS) name = truncateText(name, (s) => charLength(s) <= FILE_NAME_MAX_CHARS);
  return name || fallback;
}
