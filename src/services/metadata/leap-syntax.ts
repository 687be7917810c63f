import { isDateFormat, isDurationFormat } from "./formats";
import { isTemplateVariable, TEMPLATE_VARIABLES } from "./variables";

/**
 * LEAP's placeholders (`{display_name}`, `{record_time:DD.MM.YYYY}`, §6.6) rewritten as Liquid
 * (`{{ display_name }}`, `{{ record_time | format: "DD.MM.YYYY" }}`), so both syntaxes can be
 * mixed in one template. Liquid's own `{{ … }}` / `{% … %}` pass through untouched, and so does
 * everything inside `{% raw %}` and `{% comment %}`. A single brace around anything that is not
 * an identifier (`{part 1}`, JSON) is plain text.
 *
 * The rewrite keeps a map back to the original text so errors point at what the user wrote.
 */

export interface TemplateProblem {
  code: "template_syntax" | "template_unknown_variable" | "template_bad_format" | "template_unknown_filter" | "template_tag_not_allowed" | "template_too_complex";
  message: string;
  line: number;
  column: number;
  variable?: string;
}

interface Segment {
  /** Offset in the rewritten text. */
  to: number;
  /** Offset in the original text. */
  from: number;
  length: number;
  /** Copied as is (offsets map one to one), or a rewritten placeholder (maps to its start). */
  verbatim: boolean;
}

export interface Rewritten {
  source: string;
  segments: Segment[];
  original: string;
  /** Placeholders that are not valid (unknown name, bad format): kept as plain text. */
  problems: Array<Omit<TemplateProblem, "line" | "column"> & { offset: number }>;
}

const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::([^{}]*))?\}/y;
const LIQUID_TAG_NAME = /^\{%-?\s*([A-Za-z_]+)/;

function placeholderProblem(name: string, format: string | undefined): Omit<TemplateProblem, "line" | "column"> | null {
  if (!isTemplateVariable(name)) {
    return { code: "template_unknown_variable", variable: name, message: `unknown variable "${name}"` };
  }
  if (format === undefined) return null;
  const kind = TEMPLATE_VARIABLES[name].kind;
  if (/["']/.test(format)) return { code: "template_bad_format", variable: name, message: `the format of "${name}" must not contain quotes` };
  if (kind === "date" && !isDateFormat(format)) {
    return {
      code: "template_bad_format",
      variable: name,
      message: `"${format}" is not a date format for "${name}": use date, time, datetime, iso or tokens YYYY YY MM DD HH mm ss`,
    };
  }
  if (kind === "duration" && !isDurationFormat(format)) {
    return {
      code: "template_bad_format",
      variable: name,
      message: `"${format}" is not a duration format: use minutes, seconds, HH:MM:SS, HH:MM, MM:SS or timecode`,
    };
  }
  if (kind !== "date" && kind !== "duration") return { code: "template_bad_format", variable: name, message: `"${name}" takes no format` };
  return null;
}

export function rewriteLeapPlaceholders(text: string): Rewritten {
  const segments: Segment[] = [];
  const problems: Rewritten["problems"] = [];
  let source = "";
  const copy = (from: number, to: number) => {
    if (to <= from) return;
    const last = segments[segments.length - 1];
    if (last?.verbatim && last.from + last.length === from) last.length += to - from;
    else segments.push({ to: source.length, from, length: to - from, verbatim: true });
    source += text.slice(from, to);
  };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("{{", i)) {
      const end = text.indexOf("}}", i + 2);
      const next = end < 0 ? text.length : end + 2;
      copy(i, next);
      i = next;
    } else if (text.startsWith("{%", i)) {
      const end = text.indexOf("%}", i + 2);
      let next = end < 0 ? text.length : end + 2;
      const tag = LIQUID_TAG_NAME.exec(text.slice(i, next))?.[1];
      if (tag === "raw" || tag === "comment") {
        const closing = new RegExp(`\\{%-?\\s*end${tag}\\s*-?%\\}`, "g");
        closing.lastIndex = next;
        const match = closing.exec(text);
        next = match ? match.index + match[0].length : text.length;
      }
      copy(i, next);
      i = next;
    } else if (text[i] === "{") {
      PLACEHOLDER.lastIndex = i;
      const match = PLACEHOLDER.exec(text);
      if (!match) {
        copy(i, i + 1);
        i += 1;
        continue;
      }
      const name = match[1]!;
      const format = match[2] === undefined ? undefined : match[2].trim() || undefined;
      const problem = placeholderProblem(name, format);
      if (problem) {
        problems.push({ ...problem, offset: i });
        copy(i, i + match[0].length);
      } else {
        segments.push({ to: source.length, from: i, length: match[0].length, verbatim: false });
        source += format === undefined ? `{{ ${name} }}` : `{{ ${name} | format: "${format}" }}`;
      }
      i += match[0].length;
    } else {
      const next = text.indexOf("{", i);
      const stop = next < 0 ? text.length : next;
      copy(i, stop);
      i = stop;
    }
  }
  return { source, segments, original: text, problems };
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf("\n");
  return { line: before.split("\n").length, column: offset - lastBreak };
}

/** Where a 1-based line/column of the rewritten text is in the original. */
export function originalPosition(rewritten: Rewritten, line: number, column: number): { line: number; column: number } {
  const lines = rewritten.source.split("\n");
  let offset = 0;
  for (let l = 0; l < line - 1 && l < lines.length; l++) offset += lines[l]!.length + 1;
  offset += Math.max(0, column - 1);
  let original = rewritten.original.length;
  for (const s of rewritten.segments) {
    if (offset < s.to) break;
    original = s.verbatim ? s.from + Math.min(offset - s.to, s.length) : s.from;
  }
  if (rewritten.segments.length === 0) original = 0;
  return lineColumn(rewritten.original, original);
}

export function positionOfOffset(text: string, offset: number) {
  return lineColumn(text, offset);
}
