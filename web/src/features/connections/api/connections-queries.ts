import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";

export const connectionKeys = {
  credentials: ["connections", "credentials"] as const,
  sources: ["connections", "sources"] as const,
};

export function useCredentials() {
  return useQuery({ queryKey: connectionKeys.credentials, queryFn: () => unwrap(api.GET("/api/v1/credentials")) });
}

export function useSources() {
  return useQuery({ queryKey: connectionKeys.sources, queryFn: () => unwrap(api.GET("/api/v1/sources")) });
}
