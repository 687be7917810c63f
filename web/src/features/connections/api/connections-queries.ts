import { useQuery } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";

export type Credential = components["schemas"]["Credential"];
export type Source = components["schemas"]["Source"];
export type CredentialPlatform = Credential["platform"];

export const connectionKeys = {
  all: ["connections"] as const,
  credentials: ["connections", "credentials"] as const,
  status: ["connections", "credentials", "status"] as const,
  sources: ["connections", "sources"] as const,
};

export function useCredentials() {
  return useQuery({ queryKey: connectionKeys.credentials, queryFn: () => unwrap(api.GET("/api/v1/credentials")) });
}

/** Which platforms are usable and which must be connected again. */
export function useCredentialsStatus() {
  return useQuery({ queryKey: connectionKeys.status, queryFn: () => unwrap(api.GET("/api/v1/credentials/status")) });
}

export function useSources() {
  return useQuery({ queryKey: connectionKeys.sources, queryFn: () => unwrap(api.GET("/api/v1/sources")) });
}
