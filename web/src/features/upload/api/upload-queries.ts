import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";

export type UploadLimits = components["schemas"]["UploadLimits"];
export type UploadSession = components["schemas"]["UploadSession"];

/** One key factory for the feature. */
export const uploadKeys = {
  all: ["uploads"] as const,
  limits: () => [...uploadKeys.all, "limits"] as const,
  session: (uploadId: string) => [...uploadKeys.all, "session", uploadId] as const,
};

/** What an upload session accepts (types, largest size, part sizes): the deployment's own limits. */
export function useUploadLimits() {
  return useQuery({
    queryKey: uploadKeys.limits(),
    queryFn: () => unwrap(api.GET("/api/v1/recordings/uploads/limits")),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Which parts of an unfinished upload the server already has. */
export function useUploadSession(uploadId: string) {
  return useQuery({
    queryKey: uploadKeys.session(uploadId),
    queryFn: () => fetchUploadSession(uploadId),
    staleTime: 0,
  });
}

export function createUploadSession(input: {
  displayName: string;
  file: File;
  contentType: components["schemas"]["UploadSessionCreate"]["content_type"];
  partSize: number | undefined;
}) {
  return unwrap(
    api.POST("/api/v1/recordings/uploads", {
      body: {
        display_name: input.displayName,
        filename: input.file.name.slice(0, 255),
        size: input.file.size,
        content_type: input.contentType,
        part_size: input.partSize,
      },
    }),
  );
}

export function fetchUploadSession(uploadId: string) {
  return unwrap(api.GET("/api/v1/recordings/uploads/{upload_id}", { params: { path: { upload_id: uploadId } } }));
}

export function completeUploadSession(uploadId: string) {
  return unwrap(api.POST("/api/v1/recordings/uploads/{upload_id}/complete", { params: { path: { upload_id: uploadId } } }));
}

export function abortUploadSession(uploadId: string) {
  return unwrap(api.DELETE("/api/v1/recordings/uploads/{upload_id}", { params: { path: { upload_id: uploadId } } }));
}

/** Creates a recording from the https URL of its video; the recordings list shows it at once. */
export function useImportUrl() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { url: string; display_name: string }) => unwrap(api.POST("/api/v1/recordings/import", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["recordings", "list"] }),
  });
}
