import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";
import type { MatchingRules } from "../form-model";

/** One key factory for the feature: mutations invalidate exactly what they change. */
export const templateKeys = {
  all: ["templates"] as const,
  list: () => [...templateKeys.all, "list"] as const,
  detail: (id: number) => [...templateKeys.all, "detail", id] as const,
  recordings: (id: number) => [...templateKeys.all, "recordings", id] as const,
  previews: () => [...templateKeys.all, "preview"] as const,
  preview: (rules: MatchingRules, templateId: number | null) => [...templateKeys.previews(), templateId, rules] as const,
  presets: ["templates", "presets"] as const,
  sources: ["templates", "sources"] as const,
};

export function useTemplates() {
  return useQuery({ queryKey: templateKeys.list(), queryFn: () => unwrap(api.GET("/api/v1/templates", { params: { query: { include_drafts: "true" } } })) });
}

export function useTemplate(id: number) {
  return useQuery({ queryKey: templateKeys.detail(id), queryFn: () => unwrap(api.GET("/api/v1/templates/{id}", { params: { path: { id } } })) });
}

/** The recordings this template holds now (newest first): what a rematch or activation changed. */
export function useTemplateRecordings(id: number) {
  return useQuery({
    queryKey: templateKeys.recordings(id),
    queryFn: () =>
      unwrap(api.GET("/api/v1/recordings", { params: { query: { template_id: id, per_page: 20, order_by: "created_at", order: "desc" } } })),
  });
}

/** The live preview: which recordings `rules` (saved or not) would match. Off while there is no rule. */
export function useRulesPreview(rules: MatchingRules, templateId: number | null, enabled: boolean) {
  return useQuery({
    queryKey: templateKeys.preview(rules, templateId),
    queryFn: () =>
      unwrap(
        api.POST("/api/v1/templates/preview", {
          body: { matching_rules: rules, limit: 200, ...(templateId !== null ? { template_id: templateId } : {}) },
        }),
      ),
    enabled,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** Output presets and input sources, to pick from by name. */
export function usePresetOptions() {
  return useQuery({ queryKey: templateKeys.presets, queryFn: () => unwrap(api.GET("/api/v1/presets")) });
}

export function useSourceOptions() {
  return useQuery({ queryKey: templateKeys.sources, queryFn: () => unwrap(api.GET("/api/v1/sources")) });
}
