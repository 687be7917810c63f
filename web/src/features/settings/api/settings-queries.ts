import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";
import { meQuery } from "../../../lib/me";
import { session } from "../../../lib/session";

type UserUpdate = components["schemas"]["UserUpdate"];
type PasswordChange = components["schemas"]["PasswordChange"];

export const settingsKeys = {
  sessions: ["settings", "sessions"] as const,
  config: ["settings", "config"] as const,
  webhooks: ["settings", "webhooks"] as const,
  deliveries: (endpointId: string) => ["settings", "webhooks", endpointId, "deliveries"] as const,
};

export function useSessions() {
  return useQuery({ queryKey: settingsKeys.sessions, queryFn: () => unwrap(api.GET("/api/v1/auth/sessions")) });
}

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) => unwrap(api.DELETE("/api/v1/auth/sessions/{session_id}", { params: { path: { session_id: sessionId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.sessions }),
  });
}

/** Ends every session of the account, this one too (a lost laptop): the dashboard goes to sign-in. */
export function useSignOutEverywhere() {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/logout-all", { body: {} })),
    onSuccess: () => session.signOut(),
  });
}

/** Name, e-mail (a change waits for its e-mailed link) and the e-mails' language. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserUpdate) => unwrap(api.PATCH("/api/v1/users/me", { body })),
    onSuccess: (user) => queryClient.setQueryData(meQuery.queryKey, user),
  });
}

/** A new password signs every other session out, so the session list changes too. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PasswordChange) => unwrap(api.POST("/api/v1/users/me/password", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.sessions }),
  });
}
