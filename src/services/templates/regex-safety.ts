/**
 * Guards for user-supplied regular expressions (template patterns). LEAP ran them with Python `re`;
 * here they run on the Worker's backtracking engine, so shapes known to explode are refused up front.
 */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_SUBJECT_LENGTH = 1000;

export type RegexCheck = { ok: true } | { ok: false; reason: string };

interface Quantifier { min: number; max: number }

interface Item {
  start: number;
  end: number;
  quant: Quantifier | null;
  /** Alternatives of a group; null for a plain atom (character, escape, class). */
  branches: Item[][] | null;
}

interface Scanner { p: string; i: number; backref: string | null }

const fail = (reason: string): RegexCheck => ({ ok: false, reason });
/** Index just past the next `ch` at or after `from`, or the end of the pattern. */
const after = (p: string, ch: string, from: number): number => (p.indexOf(ch, from) < 0 ? p.length : p.indexOf(ch, from) + 1);

function engineError(pattern: string): string | null {
  try {
    new RegExp(pattern, "u");
    return null;
  } catch {
    // The u flag is stricter; a pattern valid without it is still acceptable.
  }
  try {
    new RegExp(pattern);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "");
  }
}

/** Returns the index just past the escape starting at `i` and records backreferences. */
function skipEscape(s: Scanner, i: number, inClass: boolean): number {
  const p = s.p;
  const next = p[i + 1] ?? "";
  if (!inClass && /[1-9]/.test(next)) {
    s.backref ??= p.slice(i, i + 2);
    return i + 2;
  }
  if (!inClass && next === "k" && p[i + 2] === "<") {
    s.backref ??= p.slice(i, after(p, ">", i));
    return after(p, ">", i);
  }
  if ((next === "u" || next === "p" || next === "P") && p[i + 2] === "{") return after(p, "}", i);
  if (next === "u" && /^[0-9a-fA-F]{4}/.test(p.slice(i + 2))) return i + 6;
  if (next === "x" && /^[0-9a-fA-F]{2}/.test(p.slice(i + 2))) return i + 4;
  if (next === "c" && /^[A-Za-z]/.test(p.slice(i + 2))) return i + 3;
  return i + 2;
}

/** Character classes end at the first unescaped `]` (JS semantics: `[]` is an empty class). */
function skipClass(s: Scanner, i: number): number {
  let j = i + 1;
  while (j < s.p.length && s.p[j] !== "]") j = s.p[j] === "\\" ? skipEscape(s, j, true) : j + 1;
  return j + 1;
}

/** Skips `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>` and inline-modifier groups. */
function skipGroupOpen(p: string, i: number): number {
  if (p[i + 1] !== "?") return i + 1;
  const kind = p[i + 2];
  if (kind === ":" || kind === "=" || kind === "!") return i + 3;
  if (kind === "<") return p[i + 3] === "=" || p[i + 3] === "!" ? i + 4 : after(p, ">", i);
  return after(p, ":", i);
}

function parseQuantifier(s: Scanner): Quantifier | null {
  const c = s.p[s.i];
  let quant: Quantifier | null = null;
  if (c === "*") quant = { min: 0, max: Infinity };
  else if (c === "+") quant = { min: 1, max: Infinity };
  else if (c === "?") quant = { min: 0, max: 1 };
  if (quant) s.i += 1;
  else if (c === "{") {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(s.p.slice(s.i));
    if (!m) return null;
    const min = Number(m[1]);
    quant = { min, max: m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity };
    s.i += m[0].length;
  }
  if (quant && s.p[s.i] === "?") s.i += 1;
  return quant;
}

function parseAtom(s: Scanner): Item {
  const start = s.i;
  const c = s.p[s.i];
  let branches: Item[][] | null = null;
  if (c === "\\") s.i = skipEscape(s, s.i, false);
  else if (c === "[") s.i = skipClass(s, s.i);
  else if (c === "(") {
    s.i = skipGroupOpen(s.p, s.i);
    branches = parseBranches(s);
    s.i += 1;
  } else s.i += 1;
  return { start, end: s.i, quant: null, branches };
}

function parseBranches(s: Scanner): Item[][] {
  let current: Item[] = [];
  const branches = [current];
  while (s.i < s.p.length && s.p[s.i] !== ")") {
    if (s.p[s.i] === "|") {
      current = [];
      branches.push(current);
      s.i += 1;
      continue;
    }
    const item = parseAtom(s);
    item.quant = parseQuantifier(s);
    item.end = s.i;
    current.push(item);
  }
  return branches;
}

/** `*`, `+`, `{n,}` and `{n,m}` with m > 1 repeat a group; `?` does not. */
const repeats = (q: Quantifier | null): boolean => q !== null && q.max > 1;
/** A variable-count quantifier (`*`, `+`, `{n,m}` with m > n) — fixed `{n}` and `?` are not ambiguous enough. */
const varies = (q: Quantifier | null): boolean => q !== null && q.max > 1 && q.max > q.min;

function containsVariable(branches: Item[][]): boolean {
  return branches.some((b) => b.some((it) => varies(it.quant) || (it.branches !== null && containsVariable(it.branches))));
}

/** Alternatives where one is a prefix of another let a repeated group split the input many ways. */
function hasPrefixBranches(p: string, branches: Item[][]): boolean {
  if (branches.length < 2) return false;
  const texts = branches.map((b) => {
    const first = b[0];
    const last = b[b.length - 1];
    return first && last ? p.slice(first.start, last.end).toLowerCase() : "";
  });
  return texts.some((a, i) => texts.some((b, j) => i !== j && a.startsWith(b)));
}

function findProblem(p: string, branches: Item[][]): string | null {
  for (const branch of branches) {
    for (const item of branch) {
      if (item.branches === null) continue;
      const snippet = p.slice(item.start, item.end);
      if (repeats(item.quant) && containsVariable(item.branches)) {
        return `nested quantifier in ${snippet} can take exponential time`;
      }
      if (repeats(item.quant) && hasPrefixBranches(p, item.branches)) {
        return `overlapping alternatives in ${snippet} can take exponential time`;
      }
      const inner = findProblem(p, item.branches);
      if (inner) return inner;
    }
  }
  return null;
}

export function checkUserRegex(pattern: string): RegexCheck {
  if (pattern.length === 0) return fail("pattern is empty");
  if (pattern.length > MAX_PATTERN_LENGTH) return fail(`pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  const error = engineError(pattern);
  if (error !== null) return fail(`invalid regular expression: ${error}`);
  const scanner: Scanner = { p: pattern, i: 0, backref: null };
  const tree = parseBranches(scanner);
  if (scanner.backref) return fail(`backreference ${scanner.backref} is not supported`);
  const problem = findProblem(pattern, tree);
  return problem ? fail(problem) : { ok: true };
}

/** Case-insensitive unless asked otherwise, like LEAP's IGNORECASE; null when unsafe or invalid. */
export function compileUserRegex(pattern: string, caseSensitive: boolean): RegExp | null {
  if (!checkUserRegex(pattern).ok) return null;
  const flags = caseSensitive ? "" : "i";
  for (const candidate of [`${flags}u`, flags]) {
    try {
      return new RegExp(pattern, candidate);
    } catch {
      // Try the next flag set.
    }
  }
  return null;
}

/** Bounds the subject so even a polynomial pattern stays cheap. */
export function testUserRegex(re: RegExp, subject: string): boolean {
  return re.test(subject.slice(0, MAX_SUBJECT_LENGTH));
}
