import { useQuery } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";

export type AutomationJob = components["schemas"]["AutomationJob"];

export const automationKeys = {
  all: ["automation"] as const,
  jobs: () => [...automationKeys.all, "jobs"] as const,
  runs: (id: number) => [...automationKeys.all, "runs", id] as const,
  sources: () => [...automationKeys.all, "sources"] as const,
};

export function useAutomationJobs() {
  return useQuery({ queryKey: automationKeys.jobs(), queryFn: () => unwrap(api.GET("/api/v1/automation/jobs")) });
}

export function useJobRuns(id: number) {
  return useQuery({
    queryKey: automationKeys.runs(id),
    queryFn: () => unwrap(api.GET("/api/v1/automation/jobs/{id}/runs", { params: { path: { id }, query: { limit: 20 } } })),
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
