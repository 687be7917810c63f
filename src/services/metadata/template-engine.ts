import { AppError } from "../../lib/errors";
import { formatDate, formatDuration } from "./formats";
import { originalPosition, positionOfOffset, rewriteLeapPlaceholders, type Rewritten, type TemplateProblem } from "./leap-syntax";
import { Context, ForTag, Liquid, Tag, toValueSync, type Emitter, type TagToken, type Template, type TopLevelToken } from "./liquid";
import { DurationValue, isTemplateVariable, printable, TEMPLATE_VARIABLES } from "./variables";

export type { TemplateProblem } from "./leap-syntax";

/**
 * Metadata templates run in Liquid (liquidjs), sandboxed: no file or network access (include,
 * render and layout are refused at parse time), own properties only (no prototype walking), no
 * eval. Workers freeze the clock during computation, so a time budget cannot work; the budgets
 * are counted instead: loop iterations, bytes allocated by filters and ranges, output length.
 */
const MAX_TEMPLATE_CHARS = 20_000;
const MAX_LOOP_ITERATIONS = 10_000;
const MAX_MEMORY = 1_000_000;
const MAX_OUTPUT_CHARS = 100_000;

class BudgetExceeded extends Error {}

const loopCounters = new WeakMap<Context, { n: number }>();

/** `for`, with every iteration counted against the render's budget. */
class CountedForTag extends ForTag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: ConstructorParameters<typeof ForTag>[3]) {
    super(token, remainTokens, liquid, parser);
    // Runs once per iteration, before the loop body.
    const counter = {
      token,
      *render(ctx: Context): Generator<unknown, string, unknown> {
        let count = loopCounters.get(ctx);
        if (!count) loopCounters.set(ctx, (count = { n: 0 }));
        count.n += 1;
        if (count.n > MAX_LOOP_ITERATIONS) throw new BudgetExceeded(`more than ${MAX_LOOP_ITERATIONS} loop iterations`);
        return "";
      },
    };
    this.templates.unshift(counter as unknown as Template);
  }
}

class RefusedTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    throw new Error(`tag "${token.name}" is not available in metadata templates`);
  }
  render(): string {
    return "";
  }
}

class LimitedEmitter implements Emitter {
  buffer = "";
  write(html: unknown): void {
    this.buffer += typeof html === "string" ? html : html === null || html === undefined ? "" : String(html);
    if (this.buffer.length > MAX_OUTPUT_CHARS) throw new BudgetExceeded(`output longer than ${MAX_OUTPUT_CHARS} characters`);
  }
}

const engines = new Map<string, Liquid>();

function engineFor(timeZone: string): Liquid {
  let engine = engines.get(timeZone);
  if (engine) return engine;
  engine = new Liquid({
    templates: {},
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    timezoneOffset: timeZone,
    parseLimit: MAX_TEMPLATE_CHARS,
    memoryLimit: MAX_MEMORY,
    // Typed as returning a string, but any value is accepted: the output stringifies it.
    outputEscape: (value: unknown) => printable(value, timeZone) as string,
  });
  engine.registerTag("for", CountedForTag);
  for (const tag of ["include", "render", "layout"]) engine.registerTag(tag, RefusedTag);
  engine.registerFilter("format", (value: unknown, format?: unknown) => {
    const spec = typeof format === "string" ? format : undefined;
    if (value instanceof Date) return formatDate(value, spec, timeZone);
    if (value instanceof DurationValue) return formatDuration(value.seconds, spec);
    return value;
  });
  engines.set(timeZone, engine);
  return engine;
}

const VALIDATION_ENGINE_ZONE = "UTC";

function classify(message: string): TemplateProblem["code"] {
  if (/undefined filter/i.test(message)) return "template_unknown_filter";
  if (/is not available in metadata templates/.test(message)) return "template_tag_not_allowed";
  if (/limit exceeded|loop iterations|output longer/i.test(message)) return "template_too_complex";
  return "template_syntax";
}

interface LiquidLikeError {
  message?: unknown;
  token?: { getPosition?: () => [number, number] };
  originalError?: { message?: unknown };
}

function problemFromError(error: unknown, rewritten: Rewritten): TemplateProblem {
  const e = (error ?? {}) as LiquidLikeError;
  const raw = typeof e.originalError?.message === "string" ? e.originalError.message : typeof e.message === "string" ? e.message : String(error);
  const message = raw.replace(/,\s*line:\d+,\s*col:\d+\s*$/s, "").split("\n")[0]!.trim();
  const position = e.token?.getPosition?.();
  const where = position ? originalPosition(rewritten, position[0], position[1]) : { line: 1, column: 1 };
  return { code: classify(message), message, ...where };
}

function parse(engine: Liquid, rewritten: Rewritten): { templates: Template[] } | { problem: TemplateProblem } {
  try {
    return { templates: engine.parse(rewritten.source) };
  } catch (error) {
    return { problem: problemFromError(error, rewritten) };
  }
}

const KNOWN = Object.keys(TEMPLATE_VARIABLES).join(", ");

/**
 * Every problem of a template, in text order: syntax errors (which stop the check), unknown
 * variables, formats a variable does not take, unknown filters and refused tags.
 */
export function checkTemplate(text: string): TemplateProblem[] {
  if (text.length > MAX_TEMPLATE_CHARS) {
    return [{ code: "template_too_complex", message: `a template may have at most ${MAX_TEMPLATE_CHARS} characters`, line: 1, column: 1 }];
  }
  const rewritten = rewriteLeapPlaceholders(text);
  const problems: TemplateProblem[] = rewritten.problems.map(({ offset, ...p }) => ({ ...p, ...positionOfOffset(text, offset) }));
  const engine = engineFor(VALIDATION_ENGINE_ZONE);
  const parsed = parse(engine, rewritten);
  if ("problem" in parsed) return [parsed.problem, ...problems].sort(byPosition);
  const analysis = engine.analyzeSync(parsed.templates, { partials: false });
  for (const [name, uses] of Object.entries(analysis.globals)) {
    if (isTemplateVariable(name)) continue;
    const first = uses[0];
    const where = first ? originalPosition(rewritten, first.location.row, first.location.col) : { line: 1, column: 1 };
    problems.push({ code: "template_unknown_variable", variable: name, message: `unknown variable "${name}"`, ...where });
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

export type RenderResult = { ok: true; output: string; warnings: string[] } | { ok: false; error: string; warnings: string[] };

/**
 * Renders a template. Stored templates were checked when saved, but templates from elsewhere
 * (older data, a request override) may not have been: an invalid LEAP placeholder is printed as
 * written, an unknown Liquid variable prints nothing, and either gives a warning. A syntax error
 * or an exhausted budget fails the render (the caller falls back).
 */
export function renderTemplate(text: string, scope: Record<string, unknown>, timeZone: string): RenderResult {
  if (text.length > MAX_TEMPLATE_CHARS) return { ok: false, error: "template too long", warnings: [] };
  const rewritten = rewriteLeapPlaceholders(text);
  const warnings = rewritten.problems.map((p) => `${p.message}; printed as written`);
  const engine = engineFor(timeZone);
  const parsed = parse(engine, rewritten);
  if ("problem" in parsed) {
    return { ok: false, error: `${parsed.problem.message} at line ${parsed.problem.line}, column ${parsed.problem.column}`, warnings };
  }
  for (const name of Object.keys(engine.analyzeSync(parsed.templates, { partials: false }).globals)) {
    if (!isTemplateVariable(name)) warnings.push(`unknown variable "${name}"; printed as empty`);
  }
  try {
    const emitter = new LimitedEmitter();
    const ctx = new Context(scope, engine.options, {});
    toValueSync(engine.renderer.renderTemplates(parsed.templates, ctx, emitter));
    return { ok: true, output: emitter.buffer, warnings };
  } catch (error) {
    const problem = problemFromError(error, rewritten);
    return { ok: false, error: `${problem.message} at line ${problem.line}, column ${problem.column}`, warnings };
  }
}
