import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { components, paths } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";
import { connectionKeys } from "./connections-queries";

export type CredentialCreate = components["schemas"]["CredentialCreate"];
export type OAuthPlatform = paths["/api/v1/oauth/{platform}/authorize"]["get"]["parameters"]["path"]["platform"];

/** Credentials and their status change together (a test can mark or clear "needs reconnecting"). */
function useInvalidateCredentials() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: connectionKeys.credentials });
}

export function useCreateCredential() {
  const invalidate = useInvalidateCredentials();
  return useMutation({
    mutationFn: (body: CredentialCreate) => unwrap(api.POST("/api/v1/credentials", { body })),
    onSuccess: invalidate,
  });
}

export function useDeleteCredential() {
  const invalidate = useInvalidateCredentials();
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE("/api/v1/credentials/{id}", { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

export function useTestCredential() {
  const invalidate = useInvalidateCredentials();
  return useMutation({
    mutationFn: (id: number) => unwrap(api.POST("/api/v1/credentials/{id}/test", { params: { path: { id } } })),
    onSettled: invalidate,
  });
}

/** Asks the API for the provider's authorization URL, then sends the browser there. */
export function useStartOAuth() {
  return useMutation({
    mutationFn: (platform: OAuthPlatform) => unwrap(api.GET("/api/v1/oauth/{platform}/authorize", { params: { path: { platform } } })),
    onSuccess: (started) => window.location.assign(started.authorization_url),
  });
}
