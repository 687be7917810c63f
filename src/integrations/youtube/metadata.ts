/** The `videos.insert` body (EXTERNAL-APIS §2.2): exactly the parts named in `part=snippet,status`. */
export interface YouTubeVideoMetadata {
  snippet: {
    title: string;
    description: string;
    tags: string[];
    categoryId: string;
    defaultLanguage?: string;
    defaultAudioLanguage?: string;
  };
  status: {
    privacyStatus: "public" | "unlisted" | "private";
    /** ISO-8601; YouTube only schedules private videos, so privacy becomes "private". */
    publishAt?: string;
    selfDeclaredMadeForKids: boolean;
    embeddable: boolean;
    license: "youtube" | "creativeCommon";
    publicStatsViewable?: boolean;
  };
}

export const TITLE_MAX_CHARS = 100;
export const DESCRIPTION_MAX_BYTES = 5000;
export const TAGS_MAX_CHARS = 500;

const encoder = new TextEncoder();

/** YouTube refuses `<` and `>` (400 invalidTitle/invalidDescription); NUL breaks its parser. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: YouTube refuses titles and descriptions with "<", ">" or NUL; removing NUL is the point.
const clean = (text: string) => text.replace(/[<>\u0000]/g, "");

function truncateBytes(text: string, maxBytes: number): string {
  if (encoder.encode(text).byteLength <= maxBytes) return text;
  let out = "";
  let bytes = 0;
  for (const char of text) {
    const size = encoder.encode(char).byteLength;
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}

/**
 * Tags within YouTube's 500-character budget, which counts the commas between tags and the quotes
 * it adds around a tag that contains a space.
 */
function fitTags(tags: string[]): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const raw of tags) {
    const tag = clean(raw).trim();
    if (!tag || kept.includes(tag)) continue;
    const cost = tag.length + (tag.includes(" ") ? 2 : 0) + (kept.length ? 1 : 0);
    if (used + cost > TAGS_MAX_CHARS) break;
    kept.push(tag);
    used += cost;
  }
  return kept;
}

/**
 * Brings rendered metadata within YouTube's limits instead of letting the insert fail with a 400
 * after the quota is spent (⚠ LEAP sent it unchecked): title ≤ 100 characters, description ≤ 5000
 * bytes, no angle brackets, tags ≤ 500 characters, and "private" when a publish time is set.
 */
export function sanitizeMetadata(metadata: YouTubeVideoMetadata): YouTubeVideoMetadata {
  const snippet = {
    ...metadata.snippet,
    title: [...clean(metadata.snippet.title).trim()].slice(0, TITLE_MAX_CHARS).join(""),
    description: truncateBytes(clean(metadata.snippet.description), DESCRIPTION_MAX_BYTES),
    tags: fitTags(metadata.snippet.tags),
  };
  const status = { ...metadata.status };
  if (status.publishAt) status.privacyStatus = "private";
  else delete status.publishAt;
  return { snippet, status };
}
