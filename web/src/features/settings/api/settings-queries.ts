import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";

export const settingsKeys = { sessions: ["settings", "sessions"] as const };

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
