import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { components, paths } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";
import { connectionKeys } from "./connections-queries";

export type SourceCreate = components["schemas"]["SourceCreate"];
export type SourceUpdate = components["schemas"]["SourceUpdate"];
export type SyncRange = NonNullable<paths["/api/v1/sources/{id}/sync"]["post"]["parameters"]["query"]>;

function useInvalidateSources() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: connectionKeys.sources });
}

export function useCreateSource() {
  const invalidate = useInvalidateSources();
  return useMutation({ mutationFn: (body: SourceCreate) => unwrap(api.POST("/api/v1/sources", { body })), onSuccess: invalidate });
}

export function useUpdateSource() {
  const invalidate = useInvalidateSources();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: SourceUpdate }) => unwrap(api.PATCH("/api/v1/sources/{id}", { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeleteSource() {
  const invalidate = useInvalidateSources();
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE("/api/v1/sources/{id}", { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

/** Pulls the source's Zoom recordings for a date range; its last sync time changes, so the list is read again. */
export function useSyncSource(id: number) {
  const invalidate = useInvalidateSources();
  return useMutation({
    mutationFn: (range: SyncRange) => unwrap(api.POST("/api/v1/sources/{id}/sync", { params: { path: { id }, query: range } })),
    onSettled: invalidate,
  });
}
