import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";

export const adminKeys = { overview: ["admin", "overview"] as const, users: (page: number) => ["admin", "users", page] as const };

export function useOverview() {
  return useQuery({ queryKey: adminKeys.overview, queryFn: () => unwrap(api.GET("/api/v1/admin/stats/overview")) });
}

export function useAdminUsers(page: number) {
  return useQuery({ queryKey: adminKeys.users(page), queryFn: () => unwrap(api.GET("/api/v1/admin/users", { params: { query: { page } } })) });
}
