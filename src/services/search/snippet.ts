/** Markers highlight() puts around matched tokens (private-use characters, stripped from indexed text). */
export const MARK_OPEN = "\uE000";
export const MARK_CLOSE = "\uE001";
const SNIPPET_BEFORE = 60;
const SNIPPET_CHARS = 220;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

interface Piece {
  text: string;
  marked: boolean;
  /** Offset of the piece in the text without markers. */
  at: number;
}

function pieces(highlighted: string): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  for (const [i, chunk] of highlighted.split(MARK_OPEN).entries()) {
    const [inside, after] = i === 0 ? [null, chunk] : [chunk.split(MARK_CLOSE)[0]!, chunk.split(MARK_CLOSE).slice(1).join("")];
    if (inside !== null) {
      out.push({ text: inside, marked: true, at });
      at += inside.length;
    }
    if (after) {
      out.push({ text: after, marked: false, at });
      at += after.length;
    }
  }
  return out;
}

/**
 * A short window of the passage around its first match: HTML-escaped, matches in <mark>…</mark>,
 * "…" where it was cut. `offset` is where the first match starts in the plain text (for
 * finding the transcript segment it falls in).
 */
export function snippetOf(highlighted: string): { html: string; offset: number } {
  const all = pieces(highlighted);
  const plainLength = all.reduce((n, p) => n + p.text.length, 0);
  const first = all.find((p) => p.marked)?.at ?? 0;
  let from = Math.max(0, first - SNIPPET_BEFORE);
  let to = Math.min(plainLength, from + SNIPPET_CHARS);
  if (to - from < SNIPPET_CHARS) from = Math.max(0, to - SNIPPET_CHARS);
  const plain = all.map((p) => p.text).join("");
  // Cut at word boundaries where one is near.
  if (from > 0) {
    const space = plain.indexOf(" ", from);
    if (space !== -1 && space < first) from = space + 1;
  }
  if (to < plainLength) {
    const space = plain.lastIndexOf(" ", to);
    if (space > first) to = space;
  }
  let html = from > 0 ? "…" : "";
  for (const p of all) {
    const start = Math.max(from, p.at);
    const end = Math.min(to, p.at + p.text.length);
    if (end <= start) continue;
    const text = escapeHtml(p.text.slice(start - p.at, end - p.at));
    html += p.marked ? `<mark>${text}</mark>` : text;
  }
  if (to < plainLength) html += "…";
  return { html, offset: first };
}

/** The second a transcript chunk's match is spoken at: the start of the segment holding `offset`. */
export function secondsAt(marks: number[][] | null, start: number | null, offset: number): number | null {
  if (!marks?.length) return start;
  let seconds = start;
  for (const [at = 0, s = 0] of marks) {
    if (at > offset) break;
    seconds = s;
  }
  return seconds;
}
