import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";
import { presetKeys } from "./presets-queries";

export type Thumbnail = components["schemas"]["Thumbnail"];

export function useThumbnails() {
  return useQuery({
    queryKey: presetKeys.thumbnails(),
    queryFn: async () => (await unwrap(api.GET("/api/v1/thumbnails"))).thumbnails,
  });
}

/** The image itself: the API wants the bearer token, so it is fetched and shown as an object URL. */
export function useThumbnailImage(thumbnail: Thumbnail) {
  return useQuery({
    queryKey: presetKeys.thumbnailImage(thumbnail.name, thumbnail.modified_at),
    queryFn: () => unwrap(api.GET("/api/v1/thumbnails/{name}", { params: { path: { name: thumbnail.name }, query: { use_template: thumbnail.is_template ? "true" : "false" } }, parseAs: "blob" })),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useUploadThumbnail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      unwrap(
        api.POST("/api/v1/thumbnails", {
          body: { file: file as unknown as string },
          bodySerializer: () => {
            const form = new FormData();
            form.append("file", file);
            return form;
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: presetKeys.thumbnails(), exact: true }),
  });
}

export function useDeleteThumbnail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => unwrap(api.DELETE("/api/v1/thumbnails/{name}", { params: { path: { name } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: presetKeys.thumbnails(), exact: true }),
  });
}
