import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";
import { recordingKeys } from "./recordings-queries";

/** The stages a recording can run on its own, in pipeline order. */
export const SINGLE_STAGES = ["download", "transcribe", "trim", "topics", "subtitles"] as const;
export type SingleStage = (typeof SINGLE_STAGES)[number];

/** Runs one stage of the pipeline, or resets the recording to the pipeline's start; the page follows the run. */
export function useStageAction(id: number) {
  const queryClient = useQueryClient();
  const path = { params: { path: { id } } };
  return useMutation({
    mutationFn: (action: SingleStage | "reset"): Promise<unknown> => {
      switch (action) {
        case "download":
          return unwrap(api.POST("/api/v1/recordings/{id}/download", path));
        case "transcribe":
          return unwrap(api.POST("/api/v1/recordings/{id}/transcribe", path));
        case "trim":
          return unwrap(api.POST("/api/v1/recordings/{id}/trim", path));
        case "topics":
          return unwrap(api.POST("/api/v1/recordings/{id}/topics", path));
        case "subtitles":
          return unwrap(api.POST("/api/v1/recordings/{id}/subtitles", path));
        case "reset":
          return unwrap(api.POST("/api/v1/recordings/{id}/reset", path));
      }
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: recordingKeys.detail(id) }),
        queryClient.invalidateQueries({ queryKey: recordingKeys.runs(id) }),
        queryClient.invalidateQueries({ queryKey: recordingKeys.lists() }),
      ]),
  });
}
