import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";

export type SubscriptionChange = components["schemas"]["SubscriptionChange"];
export type AdminUser = components["schemas"]["AdminUser"];

export const adminKeys = {
  all: ["admin"] as const,
  overview: ["admin", "overview"] as const,
  quotas: ["admin", "quotas"] as const,
  users: (filter: { search?: string; plan?: string; page: number }) => ["admin", "users", "list", filter] as const,
  user: (id: string) => ["admin", "users", "one", id] as const,
  audit: (filter: { action?: string; target?: string; before?: number }) => ["admin", "audit", filter] as const,
};

export function useOverview() {
  return useQuery({ queryKey: adminKeys.overview, queryFn: () => unwrap(api.GET("/api/v1/admin/stats/overview")) });
}

/** This month's usage per plan; its plan list is every plan there is. */
export function useQuotaStats() {
  return useQuery({ queryKey: adminKeys.quotas, queryFn: () => unwrap(api.GET("/api/v1/admin/stats/quotas")) });
}

export function useAdminUsers(filter: { search?: string; plan?: string; page: number }) {
  return useQuery({
    queryKey: adminKeys.users(filter),
    queryFn: () => unwrap(api.GET("/api/v1/admin/users", { params: { query: { search: filter.search, plan_name: filter.plan, page: filter.page, page_size: 25 } } })),
    placeholderData: keepPreviousData,
  });
}

export function useAdminUser(userId: string) {
  return useQuery({ queryKey: adminKeys.user(userId), queryFn: () => unwrap(api.GET("/api/v1/admin/users/{user_id}", { params: { path: { user_id: userId } } })) });
}

export function useAuditLog(filter: { action?: string; target?: string; before?: number }) {
  return useQuery({
    queryKey: adminKeys.audit(filter),
    queryFn: () =>
      unwrap(api.GET("/api/v1/admin/audit-log", { params: { query: { action: filter.action, target_user_id: filter.target, before: filter.before, limit: 25 } } })),
    placeholderData: keepPreviousData,
  });
}

/** A change to one user shows in the lists, the totals and the audit log too. */
function useUserChange<V>(call: (userId: string, value: V) => Promise<AdminUser>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, value }: { userId: string; value: V }) => call(userId, value),
    onSuccess: (user) => {
      queryClient.setQueryData(adminKeys.user(user.user_id), user);
      void queryClient.invalidateQueries({ queryKey: ["admin", "users", "list"] });
      void queryClient.invalidateQueries({ queryKey: ["admin", "audit"] });
      void queryClient.invalidateQueries({ queryKey: adminKeys.overview });
      void queryClient.invalidateQueries({ queryKey: adminKeys.quotas });
    },
  });
}

export function useChangeSubscription() {
  return useUserChange((userId, body: SubscriptionChange) => unwrap(api.PATCH("/api/v1/admin/users/{user_id}/subscription", { params: { path: { user_id: userId } }, body })));
}

export function useSetUserActive() {
  return useUserChange((userId, active: boolean) =>
    active
      ? unwrap(api.POST("/api/v1/admin/users/{user_id}/reactivate", { params: { path: { user_id: userId } } }))
      : unwrap(api.POST("/api/v1/admin/users/{user_id}/deactivate", { params: { path: { user_id: userId } } })),
  );
}
