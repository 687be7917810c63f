import { AppError } from "../../lib/errors";
import { originalPosition, positionOfOffset, rewriteLeapPlaceholders, type Rewritten, type TemplateProblem } from "./leap-syntax";
import type { Liquid, Template } from "./liquid";
import { BudgetExceeded, limitMessage, renderSandboxed, sandboxedEngine, TEMPLATE_LIMITS, tooDeep } from "./template-sandbox";
import { buildScope, isTemplateVariable, TEMPLATE_VARIABLES, type RecordingForMetadata } from "./variables";

export type { TemplateProblem } from "./leap-syntax";

/**
 * Metadata templates run in Liquid (liquidjs), sandboxed (see ./template-sandbox): only the listed
 * tags and filters, no file or network access, own properties only (no prototype walking), no
 * eval, and hard budgets on work, loop iterations, characters produced and output length.
 */

/** Problems the sandbox refuses (as opposed to a typo): a render with one of these never falls back silently. */
const REFUSALS = new Set<TemplateProblem["code"]>(["template_too_complex", "template_tag_not_allowed", "template_unknown_filter"]);

function classify(error: unknown, message: string): TemplateProblem["code"] {
  if (error instanceof BudgetExceeded || limitMessage(message) !== null) return "template_too_complex";
  if (/^undefined filter/i.test(message)) return "template_unknown_filter";
  if (/is not available in metadata templates/.test(message)) return "template_tag_not_allowed";
  return "template_syntax";
}

interface LiquidLikeError {
  message?: unknown;
  token?: { getPosition?: () => [number, number] };
  originalError?: unknown;
}

function problemFromError(error: unknown, rewritten: Rewritten): TemplateProblem {
  const e = (error ?? {}) as LiquidLikeError;
  const cause = e.originalError instanceof Error ? e.originalError : error;
  const raw = cause instanceof Error ? cause.message : typeof e.message === "string" ? e.message : String(error);
  let message = raw.replace(/,\s*line:\d+,\s*col:\d+\s*$/s, "").split("\n")[0]!.trim();
  const code = classify(cause, message);
  message = limitMessage(message) ?? message.replace(/^undefined filter: (.*)$/i, 'filter "$1" is not available in metadata templates');
  const position = e.token?.getPosition?.();
  const where = position ? originalPosition(rewritten, position[0], position[1]) : { line: 1, column: 1 };
  return { code, message, ...where };
}

/** Parses a rewritten template, refusing blocks nested past the limit before the (recursive) parser sees them. */
function parse(engine: Liquid, rewritten: Rewritten): { templates: Template[] } | { problem: TemplateProblem } {
  const deep = tooDeep(engine, rewritten.source);
  if (deep) {
    const [line, column] = deep.getPosition();
    return {
      problem: {
        code: "template_too_complex",
        message: `tags are nested more than ${TEMPLATE_LIMITS.nesting} deep`,
        ...originalPosition(rewritten, line ?? 1, column ?? 1),
      },
    };
  }
  try {
    return { templates: engine.parse(rewritten.source) };
  } catch (error) {
    return { problem: problemFromError(error, rewritten) };
  }
}

const KNOWN = Object.keys(TEMPLATE_VARIABLES).join(", ");
const VALIDATION_ENGINE_ZONE = "UTC";

/**
 * A lecture with everything a template can loop over (20 chapters, 5 topics, a summary), for the
 * trial render at save time: a template whose budget runs out on it is refused there and then.
 */
const SAMPLE_RECORDING: RecordingForMetadata = {
  id: 0,
  displayName: "Sample lecture: an introduction to the subject",
  startTime: new Date(Date.UTC(2025, 0, 15, 10, 0, 0)),
  duration: 5400,
  mainTopics: ["First topic", "Second topic", "Third topic", "Fourth topic", "Fifth topic"],
  topicTimestamps: Array.from({ length: 20 }, (_, i) => ({ topic: `Chapter ${i + 1} of the lecture`, start: i * 270, end: (i + 1) * 270 })),
  topicsSummary: "A summary of the lecture. ".repeat(20).trim(),
};

function sampleScope(): Record<string, unknown> {
  return buildScope(SAMPLE_RECORDING, { publishTime: SAMPLE_RECORDING.startTime, timeZone: VALIDATION_ENGINE_ZONE, dateFormat: undefined, topicsDisplay: undefined });
}

/**
 * Every problem of a template, in text order: syntax errors (which stop the check), unknown
 * variables, formats a variable does not take, unknown filters, refused tags, and a budget that
 * runs out when the template is rendered for a sample lecture.
 */
export function checkTemplate(text: string): TemplateProblem[] {
  if (text.length > TEMPLATE_LIMITS.templateChars) {
    return [{ code: "template_too_complex", message: `a template may have at most ${TEMPLATE_LIMITS.templateChars} characters`, line: 1, column: 1 }];
  }
  const rewritten = rewriteLeapPlaceholders(text);
  const problems: TemplateProblem[] = rewritten.problems.map(({ offset, ...p }) => ({ ...p, ...positionOfOffset(text, offset) }));
  const engine = sandboxedEngine(VALIDATION_ENGINE_ZONE);
  const parsed = parse(engine, rewritten);
  if ("problem" in parsed) return [parsed.problem, ...problems].sort(byPosition);
  const analysis = engine.analyzeSync(parsed.templates, { partials: false });
  for (const [name, uses] of Object.entries(analysis.globals)) {
    if (isTemplateVariable(name)) continue;
    const first = uses[0];
    const where = first ? originalPosition(rewritten, first.location.row, first.location.col) : { line: 1, column: 1 };
    problems.push({ code: "template_unknown_variable", variable: name, message: `unknown variable "${name}"`, ...where });
  }
  if (problems.length === 0) {
    try {
      renderSandboxed(engine, parsed.templates, sampleScope());
    } catch (error) {
      // Only an exhausted budget is the template's fault; a value-dependent error (say, a division by zero) is left to the render.
      const problem = problemFromError(error, rewritten);
      if (problem.code === "template_too_complex") problems.push(problem);
    }
  }
  return problems.sort(byPosition);
}

function byPosition(a: TemplateProblem, b: TemplateProblem): number {
  return a.line - b.line || a.column - b.column;
}

/**
 * Throws the standard 400 (VALIDATION_FAILED) when a template has any problem: the message names
 * the field, the first problem and where it is; `details` lists every problem with its line,
 * column and, for unknown variables, the name.
 */
export function validateTemplate(text: string, field = "template"): void {
  const problems = checkTemplate(text);
  const first = problems[0];
  if (!first) return;
  const hint = first.code === "template_unknown_variable" ? ` (known variables: ${KNOWN})` : "";
  throw new AppError("VALIDATION_FAILED", `Invalid ${field}: ${first.message} at line ${first.line}, column ${first.column}${hint}`, {
    details: problems.map((p) => ({ path: field, location: "json", ...p })),
  });
}

/** A template the sandbox refused while rendering (too complex, a refused tag or filter), in one field. */
export interface TemplateRefusal extends TemplateProblem {
  field: string;
}

/**
 * A render that must not fall back: the preview answers it as a 400 and the publishing stage
 * fails with its message (a template that was never checked, e.g. stored before these limits).
 */
export class TemplateRefusedError extends AppError {
  constructor(readonly refusals: TemplateRefusal[]) {
    const first = refusals[0]!;
    super("VALIDATION_FAILED", `The ${first.field} cannot be rendered: ${first.message} at line ${first.line}, column ${first.column}`, {
      details: refusals.map(({ field, ...p }) => ({ path: field, location: "json", ...p })),
    });
  }
}

export type RenderResult =
  | { ok: true; output: string; warnings: string[] }
  | { ok: false; error: string; problem: TemplateProblem; refused: boolean; warnings: string[] };

function failure(problem: TemplateProblem, warnings: string[]): RenderResult {
  return { ok: false, error: `${problem.message} at line ${problem.line}, column ${problem.column}`, problem, refused: REFUSALS.has(problem.code), warnings };
}

/**
 * Renders a template. Stored templates were checked when saved, but templates from elsewhere
 * (older data, a request override) may not have been: an invalid LEAP placeholder is printed as
 * written, an unknown Liquid variable prints nothing, and either gives a warning. A syntax error
 * fails the render (the caller falls back); so does a refusal of the sandbox, marked `refused`.
 */
export function renderTemplate(text: string, scope: Record<string, unknown>, timeZone: string): RenderResult {
  if (text.length > TEMPLATE_LIMITS.templateChars) {
    return failure({ code: "template_too_complex", message: `a template may have at most ${TEMPLATE_LIMITS.templateChars} characters`, line: 1, column: 1 }, []);
  }
  const rewritten = rewriteLeapPlaceholders(text);
  const warnings = rewritten.problems.map((p) => `${p.message}; printed as written`);
  const engine = sandboxedEngine(timeZone);
  const parsed = parse(engine, rewritten);
  if ("problem" in parsed) return failure(parsed.problem, warnings);
  for (const name of Object.keys(engine.analyzeSync(parsed.templates, { partials: false }).globals)) {
    if (!isTemplateVariable(name)) warnings.push(`unknown variable "${name}"; printed as empty`);
  }
  try {
    return { ok: true, output: renderSandboxed(engine, parsed.templates, scope), warnings };
  } catch (error) {
    return failure(problemFromError(error, rewritten), warnings);
  }
}
