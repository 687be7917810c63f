import { z } from "@hono/zod-openapi";
import { JSON_SIZE_LIMITS, refineJsonLimits } from "../../lib/json-limits";
import { MAX_PATTERN_LENGTH, tenantPatternProblem } from "../../lib/tenant-regex";

export const MAX_RULE_ITEMS = 100;
export const MAX_RULE_ITEM_LENGTH = 500;

/** Keeps the first occurrence of every value. */
function dedupe<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

const ruleItem = z.string().trim().max(MAX_RULE_ITEM_LENGTH);

/** Items are trimmed, blanks dropped and duplicates removed, as LEAP's validators did. */
const textList = z
  .array(ruleItem)
  .max(MAX_RULE_ITEMS)
  .transform((items) => dedupe(items.filter((item) => item !== "")));

/** Like textList, but every item must be a pattern RE2 can run; the issue points at the offending index. */
const patternList = z
  .array(ruleItem)
  .max(MAX_RULE_ITEMS)
  .superRefine((items, ctx) => {
    items.forEach((item, index) => {
      if (item === "") return;
      const problem = tenantPatternProblem(item);
      if (problem) ctx.addIssue({ code: "custom", message: problem, path: [index], input: item });
    });
  })
  .transform((items) => dedupe(items.filter((item) => item !== "")));

/** One optional pattern outside a rule list (POST /templates/from-recording): blank means "none". */
export const optionalPatternSchema = z
  .string()
  .max(MAX_PATTERN_LENGTH)
  .superRefine((pattern, ctx) => {
    const problem = pattern === "" ? null : tenantPatternProblem(pattern);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: pattern });
  });

const sourceIds = z
  .array(z.number().int().positive())
  .max(MAX_RULE_ITEMS)
  .nullable()
  .transform((ids) => (ids === null || ids.length === 0 ? null : dedupe(ids)));

export const matchingRulesSchema = z
  .object({
    exact_matches: textList.optional(),
    keywords: textList.optional(),
    patterns: patternList.optional(),
    source_ids: sourceIds.optional(),
    exclude_keywords: textList.optional(),
    exclude_patterns: patternList.optional(),
    case_sensitive: z.boolean().default(false),
  })
  .strict()
  .superRefine(refineJsonLimits({ maxBytes: JSON_SIZE_LIMITS.matchingRules }));

export type MatchingRules = z.infer<typeof matchingRulesSchema>;

const nonEmpty = (list: readonly unknown[] | null | undefined): boolean => (list?.length ?? 0) > 0;

/**
 * Whether the rules can ever select a recording. Unlike LEAP (where a template with only
 * `source_ids` passed validation yet never matched), a non-empty `source_ids` alone is a positive
 * rule: such a template matches every recording of those sources.
 */
export function hasPositiveRule(rules: MatchingRules | null | undefined): boolean {
  if (!rules) return false;
  return nonEmpty(rules.exact_matches) || nonEmpty(rules.keywords) || nonEmpty(rules.patterns) || nonEmpty(rules.source_ids);
}
