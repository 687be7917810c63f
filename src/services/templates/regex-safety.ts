/**
 * Guards for user-supplied regular expressions (template patterns). LEAP ran them with Python `re`;
 * here they run on the Worker's backtracking engine, so shapes known to explode are refused up front.
 */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_SUBJECT_LENGTH = 500; // display names are at most 500 characters

export type RegexCheck = { ok: true } | { ok: false; reason: string };

interface Quantifier { min: number; max: number }
/** `atomEnd` ends the atom and `end` its quantifier; `branches` holds a group's alternatives (null for atoms). */
interface Item { start: number; atomEnd: number; end: number; quant: Quantifier | null; branches: Item[][] | null }
interface Scanner { p: string; i: number; backref: string | null }

const fail = (reason: string): RegexCheck => ({ ok: false, reason });
/** Index just past the next `ch` at or after `from`, or the end of the pattern. */
const after = (p: string, ch: string, from: number): number => (p.indexOf(ch, from) < 0 ? p.length : p.indexOf(ch, from) + 1);

/** Compiles with the first flag set that works; otherwise returns the engine's last error message. */
function compile(source: string, flagSets: readonly string[]): RegExp | string {
  let message = "";
  for (const flags of flagSets) {
    try {
      return new RegExp(source, flags);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
  }
  return message;
}

const tryCompile = (source: string, flagSets: readonly string[]): RegExp | null =>
  ((compiled) => (compiled instanceof RegExp ? compiled : null))(compile(source, flagSets));

/** Returns the index just past the escape starting at `i` and records backreferences. */
function skipEscape(s: Scanner, i: number, inClass: boolean): number {
  const p = s.p;
  const next = p[i + 1] ?? "";
  if (!inClass && (/[1-9]/.test(next) || (next === "k" && p[i + 2] === "<"))) {
    const end = next === "k" ? after(p, ">", i) : i + 2;
    s.backref ??= p.slice(i, end);
    return end;
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
  const m = /^(?:([*+?])|\{(\d+)(,(\d*))?\})\??/.exec(s.p.slice(s.i));
  if (!m) return null;
  s.i += m[0].length;
  if (m[1]) return { min: m[1] === "+" ? 1 : 0, max: m[1] === "?" ? 1 : Infinity };
  const min = Number(m[2]);
  return { min, max: m[3] === undefined ? min : m[4] ? Number(m[4]) : Infinity };
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
  const atomEnd = s.i;
  const quant = parseQuantifier(s);
  return { start, atomEnd, end: s.i, quant, branches };
}

function parseBranches(s: Scanner): Item[][] {
  let current: Item[] = [];
  const branches = [current];
  while (s.i < s.p.length && s.p[s.i] !== ")") {
    if (s.p[s.i] === "|") {
      branches.push((current = []));
      s.i += 1;
    } else current.push(parseAtom(s));
  }
  return branches;
}

/** `*`, `+`, `{n,}` and `{n,m}` with m > 1 repeat a group; `?` alone does not. */
const repeats = (q: Quantifier | null): boolean => q !== null && q.max > 1;
/** Any variable count inside a repeated group (`(a?a?)+` is as bad as `(a+)+`); a fixed `{n}` is fine. */
const varies = (q: Quantifier | null): boolean => q !== null && q.max > q.min;

function containsVariable(branches: Item[][]): boolean {
  return branches.some((b) => b.some((it) => varies(it.quant) || (it.branches !== null && containsVariable(it.branches))));
}

/** Characters used to probe whether two atoms can match the same character. */
const PROBES = [..."\t !\"#'()*+,-./0123456789:;?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЯ"];
const isCharSet = (atom: string): boolean => atom === "." || atom.startsWith("[") || /^\\[wWdDsSpP]/.test(atom);
const overlaps = (a?: RegExp | null, b?: RegExp | null): boolean => !!a && !!b && PROBES.some((c) => a.test(c) && b.test(c));
/** A one-character matcher for a plain atom; null for groups. */
const atomMatcher = (p: string, item: Item | undefined): RegExp | null =>
  item && item.branches === null ? tryCompile(`^(?:${p.slice(item.start, item.atomEnd)})$`, ["iu", "i"]) : null;

/** Alternatives that can match the same text let a repeated group split the input in many ways. */
function overlapping(p: string, branches: Item[][]): boolean {
  const only = branches.length === 1 && branches[0]?.length === 1 ? branches[0][0] : undefined;
  if (only?.branches && only.quant === null) return overlapping(p, only.branches);
  if (branches.length < 2) return false;
  const texts = branches.map((b) => (b[0] ? p.slice(b[0].start, b[b.length - 1]?.end).toLowerCase() : ""));
  if (texts.some((a, i) => texts.some((b, j) => i !== j && a.startsWith(b)))) return true;
  // A character-set start (`.`, `\w`, `[a-z]`) that can match the first character of another branch.
  const firsts = branches.map((b) => ({ re: atomMatcher(p, b[0]), wide: !!b[0] && isCharSet(p.slice(b[0].start, b[0].atomEnd)) }));
  return firsts.some((a, i) => a.wide && firsts.some((b, j) => i !== j && overlaps(a.re, b.re)));
}

/**
 * Unbounded atoms that can trade characters (`.*.*`, `.+\s.+`, `\w+\s*\w+`) cost about n^k for a chain
 * of k; chains of 3 or more are refused. B extends A's chain when they overlap and every required
 * atom between them can be matched by A too.
 */
function ambiguousChain(p: string, seq: Item[]): string | null {
  const matchers = seq.map((item) => atomMatcher(p, item));
  const chain: { index: number; length: number; from: number }[] = [];
  for (const [index, item] of seq.entries()) {
    if (item.quant?.max !== Infinity || !matchers[index]) continue;
    const link = { index, length: 1, from: item.start };
    for (const prev of chain) {
      const re = matchers[prev.index];
      if (prev.length < link.length || !overlaps(re, matchers[index])) continue;
      const between = seq.slice(prev.index + 1, index);
      if (between.every((it, k) => it.quant?.min === 0 || overlaps(re, matchers[prev.index + 1 + k]))) Object.assign(link, { length: prev.length + 1, from: prev.from });
    }
    if (link.length >= 3) return p.slice(link.from, item.end);
    chain.push(link);
  }
  return null;
}

function findProblem(p: string, branches: Item[][]): string | null {
  for (const branch of branches) {
    const chain = ambiguousChain(p, branch);
    if (chain) return `adjacent quantifiers in ${chain} can take polynomial time`;
    for (const item of branch) {
      if (item.branches === null) continue;
      if (repeats(item.quant)) {
        const kind = containsVariable(item.branches) ? "nested quantifier" : overlapping(p, item.branches) ? "overlapping alternatives" : null;
        if (kind) return `${kind} in ${p.slice(item.start, item.end)} can take exponential time`;
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
  // The u flag is stricter; a pattern valid without it is still acceptable.
  const compiled = compile(pattern, ["u", ""]);
  if (typeof compiled === "string") {
    return fail(`invalid regular expression: ${compiled.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "")}`);
  }
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
  return tryCompile(pattern, [`${flags}u`, flags]);
}

/** Bounds the subject: the shapes that pass the checks above stay cheap at this length. */
export function testUserRegex(re: RegExp, subject: string): boolean {
  return re.test(subject.slice(0, MAX_SUBJECT_LENGTH));
}
