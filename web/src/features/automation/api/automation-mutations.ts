import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";
import { automationKeys } from "./automation-queries";

export type JobCreate = components["schemas"]["AutomationJobCreate"];
export type JobUpdate = components["schemas"]["AutomationJobUpdate"];
export type RunResult = components["schemas"]["AutomationRunResult"];

export function useCreateJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: JobCreate) => unwrap(api.POST("/api/v1/automation/jobs", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: automationKeys.jobs() }),
  });
}

export function useUpdateJob(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: JobUpdate) => unwrap(api.PATCH("/api/v1/automation/jobs/{id}", { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: automationKeys.jobs() }),
  });
}

export function useDeleteJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE("/api/v1/automation/jobs/{id}", { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: automationKeys.jobs() }),
  });
}

/** Run now (queued: a new run in the history, the job is running) — or, with dryRun, only the plan: nothing changes. */
export function useRunJob(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (dryRun: boolean) =>
      unwrap(api.POST("/api/v1/automation/jobs/{id}/run", { params: { path: { id }, query: { dry_run: dryRun ? "true" : "false" } } })),
    onSuccess: (_result, dryRun) => {
      if (dryRun) return;
      void queryClient.invalidateQueries({ queryKey: automationKeys.runs(id) });
      void queryClient.invalidateQueries({ queryKey: automationKeys.jobs() });
    },
  });
}
