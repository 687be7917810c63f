/** One piece of a search snippet: plain text, or a matched word to highlight. */
export interface SnippetPart {
  text: string;
  marked: boolean;
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

/**
 * The server's snippet is HTML-escaped text with matches in <mark>…</mark>. It is never parsed as
 * HTML: it is split on the two markers and each piece unescaped to plain text, which React then
 * renders as text (anything else that looks like a tag stays visible text).
 */
export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, chunk] of snippet.split("<mark>").entries()) {
    const [marked, rest] = i === 0 ? [undefined, chunk] : splitOnce(chunk, "</mark>");
    if (marked) parts.push({ text: decodeEntities(marked), marked: true });
    if (rest) parts.push({ text: decodeEntities(rest), marked: false });
  }
  return parts;
}

function splitOnce(chunk: string, separator: string): [string, string] {
  const at = chunk.indexOf(separator);
  return at < 0 ? [chunk, ""] : [chunk.slice(0, at), chunk.slice(at + separator.length)];
}

const decodeEntities = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
