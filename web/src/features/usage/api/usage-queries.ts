import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";

export const usageKeys = { quota: ["usage", "quota"] as const, history: ["usage", "history"] as const };

export function useQuota() {
  return useQuery({ queryKey: usageKeys.quota, queryFn: () => unwrap(api.GET("/api/v1/users/me/quota")) });
}

export function useQuotaHistory() {
  return useQuery({ queryKey: usageKeys.history, queryFn: () => unwrap(api.GET("/api/v1/users/me/quota/history")) });
}
