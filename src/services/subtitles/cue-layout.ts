/**
 * How a segment's words are laid out into cues: lines of ≤ maxChars characters (a single longer
 * word stays whole on its own line), ≤ maxLines lines per cue. Text that needs more than one cue
 * becomes several cues of similar length (⚠ LEAP dropped whatever did not fit in two lines).
 */
export interface CueLayout {
  /** Token range [from, to) of the segment's words. */
  from: number;
  to: number;
  lines: string[];
}

/** Length in code points, so a Cyrillic or accented letter counts as one character. */
export const charLength = (text: string) => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

export function layoutCues(tokens: readonly string[], maxChars: number, maxLines: number): CueLayout[] {
  if (tokens.length === 0) return [];
  const lengths = tokens.map(charLength);
  const prefix = [0];
  for (const length of lengths) prefix.push(prefix.at(-1)! + length);
  // Characters of tokens [from, to) joined by single spaces.
  const charsOf = (from: number, to: number) => prefix[to]! - prefix[from]! + (to - from - 1);

  // End of the fullest cue that starts at `from` (greedy line filling).
  const greedyEnd = (from: number): number => {
    let lines = 1;
    let width = lengths[from]!;
    let i = from + 1;
    for (; i < tokens.length; i++) {
      const next = lengths[i]!;
      if (width + 1 + next <= maxChars) width += 1 + next;
      else if (lines < maxLines) {
        lines++;
        width = next;
      } else break;
    }
    return i;
  };
  // cuesNeeded[p]: the fewest cues for tokens [p, n); greedy filling is optimal for that.
  const cuesNeeded = new Array<number>(tokens.length + 1).fill(0);
  for (let p = tokens.length - 1; p >= 0; p--) cuesNeeded[p] = 1 + cuesNeeded[greedyEnd(p)]!;

  // Keep the fewest cues, but balance their lengths instead of leaving a one-word last cue: each
  // cue aims at an equal share of the remaining characters, as long as the rest still fits.
  const layouts: CueLayout[] = [];
  let from = 0;
  const total = cuesNeeded[0]!;
  for (let cue = 0; cue < total; cue++) {
    const remaining = total - cue;
    let to = tokens.length;
    if (remaining > 1) {
      const target = charsOf(from, tokens.length) / remaining;
      const maxTo = greedyEnd(from);
      to = maxTo;
      let best = Infinity;
      for (let end = from + 1; end <= maxTo; end++) {
        if (cuesNeeded[end]! > remaining - 1) continue;
        const miss = Math.abs(charsOf(from, end) - target);
        if (miss < best) {
          best = miss;
          to = end;
        }
      }
    }
    layouts.push({ from, to, lines: wrapLines(tokens.slice(from, to), lengths.slice(from, to), maxChars, maxLines) });
    from = to;
  }
  return layouts;
}

/** Greedy wrapping; two lines are then rebalanced to similar widths (the lower one longer on a tie). */
function wrapLines(tokens: readonly string[], lengths: readonly number[], maxChars: number, maxLines: number): string[] {
  const lines: string[][] = [[tokens[0]!]];
  let width = lengths[0]!;
  for (let i = 1; i < tokens.length; i++) {
    if (width + 1 + lengths[i]! <= maxChars) {
      lines.at(-1)!.push(tokens[i]!);
      width += 1 + lengths[i]!;
    } else {
      lines.push([tokens[i]!]);
      width = lengths[i]!;
    }
  }
  if (lines.length === 2 && maxLines >= 2) return balanceTwoLines(tokens, lengths, maxChars);
  return lines.map((words) => words.join(" "));
}

function balanceTwoLines(tokens: readonly string[], lengths: readonly number[], maxChars: number): string[] {
  const width = (from: number, to: number) => lengths.slice(from, to).reduce((a, b) => a + b, 0) + (to - from - 1);
  let split = 1;
  let best = Infinity;
  for (let k = 1; k < tokens.length; k++) {
    const top = width(0, k);
    const bottom = width(k, tokens.length);
    if ((top > maxChars && k > 1) || (bottom > maxChars && tokens.length - k > 1)) continue;
    const score = Math.abs(top - bottom) + (top > bottom ? 0.5 : 0);
    if (score < best) {
      best = score;
      split = k;
    }
  }
  return [tokens.slice(0, split).join(" "), tokens.slice(split).join(" ")];
}
