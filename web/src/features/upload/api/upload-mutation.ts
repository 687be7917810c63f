import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";

/**
 * One file as the raw request body of POST /recordings (it streams to storage on the server).
 * Resumable multipart sessions for large files come with the full Upload page.
 */
export function useDirectUpload() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, displayName }: { file: File; displayName: string }) =>
      unwrap(
        api.POST("/api/v1/recordings", {
          params: { query: { display_name: displayName, filename: file.name.slice(0, 255) } },
          body: file as unknown as string,
          bodySerializer: (body: unknown) => body as Blob,
          headers: { "Content-Type": file.type || "application/octet-stream" },
        }),
      ),
    // The list lives in the recordings feature; its keys all start with "recordings".
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["recordings"] }),
  });
}
