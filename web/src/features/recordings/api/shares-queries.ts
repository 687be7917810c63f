import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";
import { recordingKeys } from "./recordings-queries";

export type Share = components["schemas"]["Share"];
export type NewShare = components["schemas"]["NewShare"];

export function useShares(id: number) {
  return useQuery({
    queryKey: recordingKeys.shares(id),
    queryFn: () => unwrap(api.GET("/api/v1/recordings/{id}/shares", { params: { path: { id } } })),
  });
}

export function useCreateShare(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewShare) => unwrap(api.POST("/api/v1/recordings/{id}/shares", { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: recordingKeys.shares(id) }),
  });
}

export function useRevokeShare(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (shareId: number) => unwrap(api.DELETE("/api/v1/recordings/{id}/shares/{share_id}", { params: { path: { id, share_id: shareId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: recordingKeys.shares(id) }),
  });
}
