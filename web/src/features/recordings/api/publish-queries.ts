import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";
import { recordingKeys } from "./recordings-queries";

export type PublishPlatform = "youtube" | "vk" | "yandex_disk";

/** The caller's output presets, to choose one to publish with (the presets feature keeps its own list). */
export function usePublishPresets() {
  return useQuery({ queryKey: [...recordingKeys.all, "publish-presets"] as const, queryFn: () => unwrap(api.GET("/api/v1/presets")), staleTime: 30_000 });
}

/** After a publish action the recording's outputs, runs and list row change: read them again. */
function useRefreshRecording(id: number) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: recordingKeys.detail(id) }),
      queryClient.invalidateQueries({ queryKey: recordingKeys.runs(id) }),
      queryClient.invalidateQueries({ queryKey: recordingKeys.lists() }),
    ]);
}

/** Publishes to one platform with a preset, or with the recording's configured presets of it (no preset). */
export function usePublish(id: number) {
  const refresh = useRefreshRecording(id);
  return useMutation({
    mutationFn: ({ platform, presetId }: { platform: PublishPlatform; presetId: number | null }) =>
      unwrap(
        api.POST("/api/v1/recordings/{id}/upload/{platform}", {
          params: { path: { id, platform }, query: presetId === null ? {} : { preset_id: presetId } },
        }),
      ),
    onSuccess: refresh,
  });
}

/** Publishes again where publishing failed, on one platform; published videos are not sent twice. */
export function useRetryUpload(id: number) {
  const refresh = useRefreshRecording(id);
  return useMutation({
    mutationFn: (platform: PublishPlatform) => unwrap(api.POST("/api/v1/recordings/{id}/retry-upload", { params: { path: { id } }, body: { platforms: [platform] } })),
    onSuccess: refresh,
  });
}

/** Redoes a published output's failed extras (thumbnail, playlist, captions) without uploading the video again. */
export function useRetryExtras(id: number) {
  const refresh = useRefreshRecording(id);
  return useMutation({
    mutationFn: (outputId: number) =>
      unwrap(api.POST("/api/v1/recordings/{id}/outputs/{output_id}/retry-extras", { params: { path: { id, output_id: outputId } } })),
    onSuccess: refresh,
  });
}
