import { RE2JS, RE2JSSyntaxException } from "re2js";
import { AppError } from "./errors";

/**
 * Regular expressions a tenant types (template matching rules, exclude patterns, source file
 * filters) run on RE2 (re2js, pure JS): matching is linear in the subject whatever the pattern, so
 * no pattern can stall the isolate. Patterns are written in JavaScript syntax, as before; the few
 * constructs RE2 cannot run in linear time (backreferences, lookahead, lookbehind) are refused
 * with a reason when the pattern is saved. `\s`, `\S` and `.` keep their JavaScript meaning.
 */
export const MAX_PATTERN_LENGTH = 200;
/** Display names are at most 500 characters; longer stored names are matched on their start. */
export const MAX_SUBJECT_LENGTH = 500;
/**
 * Linear time still scales with the compiled program (`\p{L}{1000}` is a thousand steps per
 * character), so programs are capped too: every ordinary pattern stays far below this.
 */
export const MAX_PROGRAM_SIZE = 1000;

const ENGINE = "the matching engine runs in linear time (RE2) and cannot express it";

/** Thrown for a pattern that is empty, too long, invalid or not expressible in RE2. */
export class TenantPatternError extends AppError {
  constructor(readonly reason: string) {
    super("VALIDATION_FAILED", `Invalid regular expression: ${reason}`);
    this.name = "TenantPatternError";
  }
}

// JavaScript's \s (WhiteSpace + LineTerminator) and its complement as RE2 class ranges; RE2's own
// \s is ASCII-only, so a name with a no-break space would stop matching `Lecture\s+5`.
const JS_SPACE = "\\x{9}-\\x{D}\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
const JS_NON_SPACE =
  "\\x{0}-\\x{8}\\x{E}-\\x{1F}\\x{21}-\\x{9F}\\x{A1}-\\x{167F}\\x{1681}-\\x{1FFF}\\x{200B}-\\x{2027}\\x{202A}-\\x{202E}" +
  "\\x{2030}-\\x{205E}\\x{2060}-\\x{2FFF}\\x{3001}-\\x{FEFE}\\x{FF00}-\\x{10FFFF}";
/** JavaScript's `.` stops at every line terminator, RE2's only at \n. */
const JS_DOT = "[^\\x{A}\\x{D}\\x{2028}\\x{2029}]";

const GROUP_REFUSALS: ReadonlyArray<[string, string]> = [
  ["(?=", "lookahead (?=…)"],
  ["(?!", "negative lookahead (?!…)"],
  ["(?<=", "lookbehind (?<=…)"],
  ["(?<!", "negative lookbehind (?<!…)"],
  ["(?P=", "backreference (?P=…)"],
];

const unsupported = (what: string) => new TenantPatternError(`${what} is not supported: ${ENGINE}`);

/**
 * Rewrites the JavaScript-only parts RE2 reads differently and refuses what it cannot run; the
 * rest (`\uXXXX`, `(?<name>…)`, `\cX`, `[^]`) is left to re2js's own JS translation.
 */
function toRe2Syntax(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i] as string;
    if (ch === "\\") {
      const next = pattern[i + 1] ?? "";
      if (!inClass && /[1-9]/.test(next)) throw unsupported(`backreference \\${next}`);
      if (!inClass && next === "k" && pattern[i + 2] === "<") throw unsupported("backreference \\k<…>");
      if (next === "s") out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === "S") out += inClass ? JS_NON_SPACE : `[${JS_NON_SPACE}]`;
      else out += ch + next;
      i += 1;
    } else if (inClass) {
      if (ch === "]") inClass = false;
      out += ch;
    } else if (ch === "[") {
      // In JavaScript the first `]` always closes the class, so `[]` and `[^]` are complete classes.
      const negated = pattern[i + 1] === "^";
      const body = i + (negated ? 2 : 1);
      if (pattern[body] === "]") {
        out += pattern.slice(i, body + 1);
        i = body;
      } else {
        out += pattern.slice(i, body);
        i = body - 1;
        inClass = true;
      }
    } else if (ch === "(") {
      const refused = GROUP_REFUSALS.find(([opening]) => pattern.startsWith(opening, i));
      if (refused) throw unsupported(refused[1]);
      out += ch;
    } else out += ch === "." ? JS_DOT : ch;
  }
  return out;
}

/** RE2's description, quoting the offending fragment only when it is the tenant's own text (not our rewrite). */
function engineMessage(error: unknown, pattern: string): string {
  if (!(error instanceof RE2JSSyntaxException)) return error instanceof Error ? error.message : String(error);
  const fragment = error.getPattern();
  return fragment && pattern.includes(fragment) ? `${error.getDescription()}: \`${fragment}\`` : error.getDescription();
}

function compileChecked(pattern: string, caseSensitive: boolean): RE2JS {
  if (pattern.length === 0) throw new TenantPatternError("pattern is empty");
  if (pattern.length > MAX_PATTERN_LENGTH) throw new TenantPatternError(`pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  const source = RE2JS.translateRegExp(toRe2Syntax(pattern));
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    throw new TenantPatternError(`invalid regular expression: ${engineMessage(error, pattern)}`);
  }
  if (compiled.programSize() > MAX_PROGRAM_SIZE) {
    throw new TenantPatternError(`pattern is too complex (${compiled.programSize()} steps per character, at most ${MAX_PROGRAM_SIZE}); use smaller repeat counts`);
  }
  return compiled;
}

/** The reason a pattern would be refused at save (under either case mode), or null when it is fine. */
export function tenantPatternProblem(pattern: string): string | null {
  try {
    compileChecked(pattern, true);
    compileChecked(pattern, false);
    return null;
  } catch (error) {
    if (error instanceof TenantPatternError) return error.reason;
    throw error;
  }
}

export interface TenantRegex {
  readonly pattern: string;
  /** Whether the pattern occurs anywhere in the first MAX_SUBJECT_LENGTH characters of `subject`. */
  test(subject: string): boolean;
}

/** Compiles a tenant pattern, case-insensitively unless asked (LEAP's IGNORECASE); throws TenantPatternError. */
export function compileTenantRegex(pattern: string, caseSensitive: boolean): TenantRegex {
  const compiled = compileChecked(pattern, caseSensitive);
  return { pattern, test: (subject) => compiled.test(subject.slice(0, MAX_SUBJECT_LENGTH)) };
}

// Per isolate: matching runs every template's patterns against every candidate recording, and
// compiling is the expensive part. Refused patterns are cached as null. Bounded, oldest out first.
const CACHE_LIMIT = 256;
const cache = new Map<string, TenantRegex | null>();

/** Like compileTenantRegex, but cached, and null (never a throw) for a stored pattern that is refused. */
export function cachedTenantRegex(pattern: string, caseSensitive: boolean): TenantRegex | null {
  const key = `${caseSensitive ? "s" : "i"}:${pattern}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let compiled: TenantRegex | null = null;
  try {
    compiled = compileTenantRegex(pattern, caseSensitive);
  } catch (error) {
    if (!(error instanceof TenantPatternError)) throw error;
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, compiled);
  return compiled;
}
