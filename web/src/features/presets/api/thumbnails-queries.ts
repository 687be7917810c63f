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

function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("unreadable image"));
    reader.readAsDataURL(blob);
  });
}

/**
 * The image itself: the API wants the bearer token, so it is fetched and shown as a data: URL
 * (the app's Content-Security-Policy allows data: images, not blob: ones).
 */
export function useThumbnailImage(thumbnail: Thumbnail) {
  return useQuery({
    queryKey: presetKeys.thumbnailImage(thumbnail.name, thumbnail.modified_at),
    queryFn: async () => {
      const query = { use_template: thumbnail.is_template ? ("true" as const) : ("false" as const) };
      return dataUrl(await unwrap(api.GET("/api/v1/thumbnails/{name}", { params: { path: { name: thumbnail.name }, query }, parseAs: "blob" })));
    },
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
