import { useDebouncedValue } from "@mantine/hooks";
import { useMemo } from "react";
import { ApiError } from "../../../lib/api-error";
import { useRulesPreview } from "../api/templates-queries";
import { hasAnyRule, toMatchingRules, type MatchingRules, type TemplateFormValues } from "../form-model";

const PREVIEW_DELAY_MS = 400;

/**
 * The live preview of the rules being typed: asked again 400 ms after the last change (the rules
 * are debounced as their JSON text, so an unchanged rule set never asks twice).
 */
export function useLivePreview(values: TemplateFormValues["matching_rules"], templateId: number | null) {
  const text = JSON.stringify(toMatchingRules(values));
  const [debounced] = useDebouncedValue(text, PREVIEW_DELAY_MS);
  const rules = useMemo(() => JSON.parse(debounced) as MatchingRules, [debounced]);
  const enabled = hasAnyRule(rules);
  const query = useRulesPreview(rules, templateId, enabled);
  const invalid = query.error instanceof ApiError && query.error.status === 400 ? query.error : null;
  return { query, enabled, invalid, waiting: text !== debounced || query.isFetching };
}

export type LivePreview = ReturnType<typeof useLivePreview>;
