import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";
import { recordingKeys } from "./recordings-queries";

export type RecordingConfig = components["schemas"]["RecordingConfig"];
export type ConfigOverrides = components["schemas"]["ConfigOverrides"];
export type ConfigSource = RecordingConfig["sources"][string];

/** The effective configuration of a recording, its own overrides and where each value comes from. */
export function useRecordingConfig(id: number) {
  return useQuery({ queryKey: recordingKeys.config(id), queryFn: () => unwrap(api.GET("/api/v1/recordings/{id}/config", { params: { path: { id } } })) });
}

/**
 * Changes the recording's overrides: a merge patch (a null key inherits again), or `null` to drop
 * them all. Either answer is the whole new view, so it replaces the cached one.
 */
export function useUpdateOverrides(id: number) {
  const queryClient = useQueryClient();
  const path = { params: { path: { id } } };
  return useMutation({
    mutationFn: (patch: ConfigOverrides | null) =>
      unwrap(patch === null ? api.DELETE("/api/v1/recordings/{id}/config", path) : api.PUT("/api/v1/recordings/{id}/config", { ...path, body: patch })),
    onSuccess: (config) => queryClient.setQueryData(recordingKeys.config(id), config),
  });
}
