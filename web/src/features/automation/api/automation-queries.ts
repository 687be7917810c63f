import { useQuery } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";

export type AutomationJob = components["schemas"]["AutomationJob"];

export const automationKeys = {
  all: ["automation"] as const,
  jobs: () => [...automationKeys.all, "jobs"] as const,
  runs: (id: number) => [...automationKeys.all, "runs", id] as const,
  sources: () => [...automationKeys.all, "sources"] as const,
  templates: () => [...automationKeys.all, "templates"] as const,
};

/** Polled while a job runs, so "running" ends on its own on the page. */
const WHILE_RUNNING_MS = 3000;

export function useAutomationJobs() {
  return useQuery({
    queryKey: automationKeys.jobs(),
    queryFn: () => unwrap(api.GET("/api/v1/automation/jobs")),
    refetchInterval: (query) => (query.state.data?.some((job) => job.is_running) ? WHILE_RUNNING_MS : false),
  });
}

export function useJobRuns(id: number) {
  return useQuery({
    queryKey: automationKeys.runs(id),
    queryFn: () => unwrap(api.GET("/api/v1/automation/jobs/{id}/runs", { params: { path: { id }, query: { limit: 20 } } })),
    refetchInterval: (query) => (query.state.data?.items.some((run) => run.status === "running") ? WHILE_RUNNING_MS : false),
  });
}

/** The Zoom sources a job can sync (automation runs ZOOM sources only). */
export function useZoomSources() {
  return useQuery({
    queryKey: automationKeys.sources(),
    queryFn: () => unwrap(api.GET("/api/v1/sources")),
    select: (sources) => sources.filter((s) => s.source_type === "ZOOM"),
  });
}

/** The caller's templates, drafts included: a job may name any of them (and a draft's name still shows). */
export function useTemplateOptions() {
  return useQuery({
    queryKey: automationKeys.templates(),
    queryFn: () => unwrap(api.GET("/api/v1/templates", { params: { query: { include_drafts: "true" } } })),
    select: (templates) => templates.map((t) => ({ value: String(t.id), label: t.name })),
  });
}
