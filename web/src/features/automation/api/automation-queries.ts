import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";

export const automationKeys = { all: ["automation"] as const, jobs: () => [...automationKeys.all, "jobs"] as const };

export function useAutomationJobs() {
  return useQuery({ queryKey: automationKeys.jobs(), queryFn: () => unwrap(api.GET("/api/v1/automation/jobs")) });
}
