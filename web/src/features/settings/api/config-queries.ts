import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";
import { settingsKeys } from "./settings-queries";

export type UserConfigPatch = components["schemas"]["UserConfigPatch"];

export function useUserConfig() {
  return useQuery({ queryKey: settingsKeys.config, queryFn: () => unwrap(api.GET("/api/v1/users/me/config")) });
}

/** A JSON Merge Patch: only the keys sent change; the answer is the whole effective config. */
export function usePatchConfig() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserConfigPatch) => unwrap(api.PATCH("/api/v1/users/me/config", { body })),
    onSuccess: (config) => queryClient.setQueryData(settingsKeys.config, config),
  });
}

export function useResetConfig() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/users/me/config/reset")),
    onSuccess: (config) => queryClient.setQueryData(settingsKeys.config, config),
  });
}
