import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";

export const templateKeys = { all: ["templates"] as const, list: () => [...templateKeys.all, "list"] as const };

export function useTemplates() {
  return useQuery({ queryKey: templateKeys.list(), queryFn: () => unwrap(api.GET("/api/v1/templates")) });
}
