import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";

export const presetKeys = { all: ["presets"] as const, list: () => [...presetKeys.all, "list"] as const };

export function usePresets() {
  return useQuery({ queryKey: presetKeys.list(), queryFn: () => unwrap(api.GET("/api/v1/presets")) });
}
