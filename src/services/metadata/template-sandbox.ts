import { formatDate, formatDuration } from "./formats";
import {
  CaptureTag,
  Context,
  ForTag,
  Liquid,
  Tag,
  Tokenizer,
  TypeGuards,
  toValueSync,
  type Emitter,
  type FilterImplOptions,
  type TagToken,
  type Template,
  type TopLevelToken,
} from "./liquid";
import { DurationValue, printable } from "./variables";

/**
 * The sandbox metadata templates render in (guarantee 7: templates render under hard budgets).
 * A template is tenant input: it may only use the tags and filters listed here, and everything it
 * makes is counted, whichever way it is made (output, a capture, an assigned filter result, a
 * range), so no nesting of captures or loops outgrows the limits. Workers stop the clock while
 * code runs, so time cannot bound a render: the work is counted instead (the template text
 * evaluated, every filter call and the list items it walks), with a wall-clock backstop for other
 * runtimes.
 */
export const TEMPLATE_LIMITS = {
  /** Characters of template text. */
  templateChars: 20_000,
  /** Block tags (if, unless, case, for, capture, raw) inside one another. */
  nesting: 32,
  /** Loop iterations, all loops of one render together. */
  loopIterations: 10_000,
  /** Work units: template characters evaluated (each time a tag or output runs) + filter calls + list items walked by filters. */
  work: 100_000,
  /** Characters produced while rendering: output, captures, filter results, ranges. */
  memoryChars: 1_000_000,
  /** Characters of the rendered text. */
  outputChars: 100_000,
  /** Wall time (a backstop: see above). */
  renderMs: 2_000,
} as const;

/** The tags a metadata template may use; `else`, `elsif`, `when` and the `end…` tags belong to these. */
export const ALLOWED_TAGS = ["if", "unless", "case", "for", "break", "continue", "assign", "capture", "raw", "comment", "#"] as const;

/** Text, list, number and date filters; `format` is ours (LEAP's formats for dates and durations). */
export const ALLOWED_FILTERS = [
  ...["append", "prepend", "capitalize", "downcase", "upcase", "strip", "lstrip", "rstrip", "strip_newlines", "strip_html", "squish", "normalize_whitespace"],
  ...["truncate", "truncatewords", "replace", "replace_first", "replace_last", "remove", "remove_first", "remove_last", "slice", "split", "escape", "escape_once"],
  ...["url_encode", "slugify", "default", "size", "join", "first", "last", "map", "where", "sort", "sort_natural", "reverse", "uniq", "compact", "concat"],
  ...["plus", "minus", "times", "divided_by", "modulo", "round", "ceil", "floor", "abs", "at_least", "at_most", "date", "format"],
] as const;

const ALLOWED_TAG_SET = new Set<string>(ALLOWED_TAGS);
const ALLOWED_FILTER_SET = new Set<string>(ALLOWED_FILTERS);
/** Tags that open a block closed by `end<name>`. */
const BLOCK_TAGS = new Set(["if", "unless", "case", "for", "capture", "raw", "tablerow", "block"]);
/** Filters that look at one item or none, whatever the list's length. */
const CONSTANT_FILTERS = new Set(["first", "last", "size", "default"]);

/** A render ran out of one of its budgets; the message says which, in the user's terms. */
export class BudgetExceeded extends Error {}

/** liquidjs's own limiters fail with these texts (a plain Error, wrapped with the token that hit them). */
const LIQUID_LIMIT_MESSAGES: Record<string, string> = {
  "memory alloc limit exceeded": `the template produces more than ${TEMPLATE_LIMITS.memoryChars} characters (output, captures, filter results and ranges together)`,
  "template render limit exceeded": `the template takes longer than ${TEMPLATE_LIMITS.renderMs / 1000} s to render`,
  "parse length limit exceeded": `a template may have at most ${TEMPLATE_LIMITS.templateChars} characters`,
};

/** The readable form of a limit failure, or null when `message` is not one. */
export function limitMessage(message: string): string | null {
  return LIQUID_LIMIT_MESSAGES[message] ?? null;
}

class RenderBudget {
  work = 0;
  iterations = 0;

  spend(units: number): void {
    this.work += units;
    if (this.work > TEMPLATE_LIMITS.work) {
      throw new BudgetExceeded(`the template needs more than ${TEMPLATE_LIMITS.work} steps to render (loops repeat the work of the text inside them)`);
    }
  }

  iterate(): void {
    this.iterations += 1;
    if (this.iterations > TEMPLATE_LIMITS.loopIterations) throw new BudgetExceeded(`more than ${TEMPLATE_LIMITS.loopIterations} loop iterations`);
  }
}

const budgets = new WeakMap<Context, RenderBudget>();

function budgetOf(ctx: Context): RenderBudget {
  const known = budgets.get(ctx);
  if (known) return known;
  const budget = new RenderBudget();
  budgets.set(ctx, budget);
  return budget;
}

/** Every string written, at the top or into a capture, is counted against the render's memory; the top one also against the output limit. */
class BudgetedEmitter implements Emitter {
  buffer = "";
  constructor(
    private readonly ctx: Context,
    private readonly outputLimit: number | null,
  ) {}

  write(html: unknown): void {
    const text = typeof html === "string" ? html : html === null || html === undefined ? "" : String(html);
    this.ctx.memoryLimit.use(text.length);
    if (this.outputLimit !== null && this.buffer.length + text.length > this.outputLimit) {
      throw new BudgetExceeded(`the rendered text is longer than ${this.outputLimit} characters`);
    }
    this.buffer += text;
  }
}

/** `capture` into a counted buffer (liquidjs's own writes into an uncounted one). */
class BudgetedCaptureTag extends CaptureTag {
  override *render(ctx: Context): Generator<unknown, void, string> {
    const emitter = new BudgetedEmitter(ctx, null);
    yield this.liquid.renderer.renderTemplates(this.templates, ctx, emitter);
    ctx.bottom()[this.variable] = emitter.buffer;
  }
}

/** The per-iteration counters of loops: one unit of work each (the loop tag's own text is charged once per loop). */
const loopCounters = new WeakSet<object>();

/** `for`, with every iteration counted against the render's budget. */
class CountedForTag extends ForTag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: ConstructorParameters<typeof ForTag>[3]) {
    super(token, remainTokens, liquid, parser);
    // Runs once per iteration, before the loop body.
    const counter = {
      token,
      // biome-ignore lint/correctness/useYield: liquidjs drives every template's render() as a generator; this one has nothing to wait for.
      *render(ctx: Context): Generator<unknown, string, unknown> {
        budgetOf(ctx).iterate();
        return "";
      },
    };
    loopCounters.add(counter);
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

type FilterHandler = Exclude<FilterImplOptions, { handler: unknown }>;

/** A filter that counts its call, the list items it walks, and (for ours) what it returns. */
function budgeted(name: string, impl: FilterImplOptions, countResult = false): FilterImplOptions {
  const handler: FilterHandler = typeof impl === "function" ? impl : impl.handler;
  const walks = !CONSTANT_FILTERS.has(name);
  function* counted(this: ThisParameterType<FilterHandler>, ...args: unknown[]): Generator<unknown, unknown, unknown> {
    let units = 1;
    if (walks) for (const arg of args) if (Array.isArray(arg)) units += arg.length;
    budgetOf(this.context).spend(units);
    const result: unknown = yield handler.apply(this, args as Parameters<FilterHandler>);
    if (countResult && typeof result === "string") this.context.memoryLimit.use(result.length);
    return result;
  }
  return typeof impl === "function" ? counted : { ...impl, handler: counted };
}

/** The work of rendering a list of nodes once: each node's own text (a tag, an output, literal text). */
const listCosts = new WeakMap<Template[], number>();
function costOf(templates: Template[]): number {
  let cost = listCosts.get(templates);
  if (cost === undefined) {
    cost = templates.reduce((sum, t) => sum + (loopCounters.has(t) ? 1 : Math.max(1, t.token.end - t.token.begin)), 0);
    listCosts.set(templates, cost);
  }
  return cost;
}

/**
 * Every block (the whole template, a branch, a loop iteration, a capture) is rendered through the
 * engine's one renderer: counting there charges all of them, however they nest.
 */
function countWork(engine: Liquid): void {
  const renderer = engine.renderer;
  const renderTemplates = renderer.renderTemplates.bind(renderer);
  renderer.renderTemplates = function* (templates: Template[], ctx: Context, emitter?: Emitter) {
    budgetOf(ctx).spend(costOf(templates));
    return yield* renderTemplates(templates, ctx, emitter);
  };
}

/** How a value prints (see `printable`); a list is charged for the text it joins into before it is joined. */
function outputEscapeFor(timeZone: string) {
  return function (this: { context: Context }, value: unknown): string {
    if (Array.isArray(value)) {
      budgetOf(this.context).spend(value.length);
      this.context.memoryLimit.use(value.reduce((n: number, v: unknown) => n + (typeof v === "string" ? v.length : 16), 0));
    }
    // Typed as returning a string, but any value is accepted: the output stringifies it.
    return printable(value, timeZone) as string;
  };
}

const engines = new Map<string, Liquid>();

/** The engine for one time zone (dates print in the owner's zone), built once per isolate. */
export function sandboxedEngine(timeZone: string): Liquid {
  let engine = engines.get(timeZone);
  if (engine) return engine;
  engine = new Liquid({
    templates: {},
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    timezoneOffset: timeZone,
    parseLimit: TEMPLATE_LIMITS.templateChars,
    memoryLimit: TEMPLATE_LIMITS.memoryChars,
    renderLimit: TEMPLATE_LIMITS.renderMs,
    outputEscape: outputEscapeFor(timeZone),
  });
  for (const name of Object.keys(engine.tags)) if (!ALLOWED_TAG_SET.has(name)) engine.registerTag(name, RefusedTag);
  engine.registerTag("for", CountedForTag);
  engine.registerTag("capture", BudgetedCaptureTag);
  engine.registerFilter("format", (value: unknown, format?: unknown) => {
    const spec = typeof format === "string" ? format : undefined;
    if (value instanceof Date) return formatDate(value, spec, timeZone);
    if (value instanceof DurationValue) return formatDuration(value.seconds, spec);
    return value;
  });
  for (const [name, impl] of Object.entries(engine.filters)) {
    if (ALLOWED_FILTER_SET.has(name)) engine.registerFilter(name, budgeted(name, impl, name === "format"));
    else engine.unregisterFilter(name);
  }
  countWork(engine);
  engines.set(timeZone, engine);
  return engine;
}

/**
 * The first tag that opens a block deeper than the nesting limit, found on the flat token list
 * before parsing (liquidjs parses and renders blocks recursively, so depth is stack).
 */
export function tooDeep(engine: Liquid, source: string): TagToken | null {
  let tokens: TopLevelToken[];
  try {
    tokens = new Tokenizer(source, engine.options.operators).readTopLevelTokens(engine.options);
  } catch {
    return null; // a tokenizing error: the parser reports it with its position
  }
  let depth = 0;
  let inComment = false;
  for (const token of tokens) {
    if (!TypeGuards.isTagToken(token)) continue;
    if (inComment) {
      inComment = token.name !== "endcomment";
      continue;
    }
    if (token.name === "comment") inComment = true;
    else if (BLOCK_TAGS.has(token.name)) {
      depth += 1;
      if (depth > TEMPLATE_LIMITS.nesting) return token;
    } else if (token.name.startsWith("end")) depth = Math.max(0, depth - 1);
  }
  return null;
}

/** Renders parsed templates under a fresh budget; throws (a liquidjs error or BudgetExceeded) when a budget runs out. */
export function renderSandboxed(engine: Liquid, templates: Template[], scope: Record<string, unknown>): string {
  const ctx = new Context(scope, engine.options, {});
  budgets.set(ctx, new RenderBudget());
  const emitter = new BudgetedEmitter(ctx, TEMPLATE_LIMITS.outputChars);
  toValueSync(engine.renderer.renderTemplates(templates, ctx, emitter));
  return emitter.buffer;
}
