import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";

export type Preset = components["schemas"]["Preset"];
export type PresetPlatform = Preset["platform"];
export type NewPreset = components["schemas"]["PresetCreate"];
export type PresetPatch = components["schemas"]["PresetUpdate"];
export type DraftPreviewRequest = components["schemas"]["PresetDraftPreviewRequest"];
export type DraftPreview = components["schemas"]["PresetDraftPreview"];

/** One key factory for the feature: mutations invalidate exactly what they change. */
export const presetKeys = {
  all: ["presets"] as const,
  list: () => [...presetKeys.all, "list"] as const,
  detail: (id: number) => [...presetKeys.all, "detail", id] as const,
  preview: (body: DraftPreviewRequest) => [...presetKeys.all, "preview", body] as const,
  credentials: () => [...presetKeys.all, "credentials"] as const,
  recordings: () => [...presetKeys.all, "recordings"] as const,
  thumbnails: () => [...presetKeys.all, "thumbnails"] as const,
  thumbnailImage: (name: string, modifiedAt: string) => [...presetKeys.thumbnails(), "image", name, modifiedAt] as const,
};

export function usePresets() {
  return useQuery({ queryKey: presetKeys.list(), queryFn: () => unwrap(api.GET("/api/v1/presets")) });
}

export function usePreset(id: number) {
  return useQuery({ queryKey: presetKeys.detail(id), queryFn: () => unwrap(api.GET("/api/v1/presets/{id}", { params: { path: { id } } })) });
}

export function useCreatePreset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewPreset) => unwrap(api.POST("/api/v1/presets", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: presetKeys.list() }),
  });
}

export function useUpdatePreset(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PresetPatch) => unwrap(api.PATCH("/api/v1/presets/{id}", { params: { path: { id } }, body })),
    onSuccess: (preset) => {
      queryClient.setQueryData(presetKeys.detail(id), preset);
      return queryClient.invalidateQueries({ queryKey: presetKeys.list() });
    },
  });
}

export function useDeletePreset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE("/api/v1/presets/{id}", { params: { path: { id } } })),
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: presetKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: presetKeys.list() });
    },
  });
}

/**
 * The editor's live preview: the unsaved metadata rendered for one recording (the API checks it as
 * a save would, so a template error comes back as a 400 with its line). `body` is already debounced.
 */
export function useDraftPreview(body: DraftPreviewRequest | null) {
  return useQuery({
    queryKey: presetKeys.preview(body ?? { recording_id: 0, platform: "youtube" }),
    queryFn: () => unwrap(api.POST("/api/v1/presets/preview", { body: body as DraftPreviewRequest })),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 30_000,
  });
}

/** The caller's credentials, for the credential picker (secrets are never returned). */
export function usePresetCredentials() {
  return useQuery({ queryKey: presetKeys.credentials(), queryFn: () => unwrap(api.GET("/api/v1/credentials")), staleTime: 60_000 });
}

/** Recent recordings to preview a preset with. */
export function usePreviewRecordings() {
  return useQuery({
    queryKey: presetKeys.recordings(),
    queryFn: () => unwrap(api.GET("/api/v1/recordings", { params: { query: { per_page: 50, order_by: "created_at", order: "desc" } } })),
    staleTime: 60_000,
  });
}
