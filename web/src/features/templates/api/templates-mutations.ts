import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";
import type { TemplateCreate } from "../form-model";
import { templateKeys } from "./templates-queries";

/** After a change of matching: the list (counts, state), this template, its recordings and previews. */
function useInvalidate() {
  const queryClient = useQueryClient();
  return (id: number) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: templateKeys.list() }),
      queryClient.invalidateQueries({ queryKey: templateKeys.detail(id) }),
      queryClient.invalidateQueries({ queryKey: templateKeys.recordings(id) }),
      queryClient.invalidateQueries({ queryKey: templateKeys.previews() }),
    ]);
}

export function useCreateTemplate() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: TemplateCreate) => unwrap(api.POST("/api/v1/templates", { params: { query: { auto_rematch: "true" } }, body })),
    onSuccess: (created) => invalidate(created.id),
  });
}

export function useUpdateTemplate(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: TemplateCreate) => unwrap(api.PATCH("/api/v1/templates/{id}", { params: { path: { id }, query: { auto_rematch: "true" } }, body })),
    onSuccess: () => invalidate(id),
  });
}

export function useSetTemplateActive(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (active: boolean) =>
      unwrap(active ? api.POST("/api/v1/templates/{id}/activate", { params: { path: { id } } }) : api.POST("/api/v1/templates/{id}/deactivate", { params: { path: { id } } })),
    onSuccess: () => invalidate(id),
  });
}

export function useRematchTemplate(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (onlyUnmapped: boolean) =>
      unwrap(api.POST("/api/v1/templates/{id}/rematch", { params: { path: { id }, query: { only_unmapped: onlyUnmapped ? "true" : "false" } } })),
    onSuccess: () => invalidate(id),
  });
}

export function useDeleteTemplate(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/templates/{id}", { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: templateKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: templateKeys.list() });
    },
  });
}
