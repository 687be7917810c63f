import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";
import { recordingKeys } from "./recordings-queries";

/** Recordings whose transcript, chapters, topics, summary or name match, with snippets and seconds. */
export function useFullTextSearch(q: string | undefined) {
  return useQuery({
    queryKey: [...recordingKeys.all, "search", q ?? ""] as const,
    queryFn: () => unwrap(api.GET("/api/v1/search", { params: { query: { q: q ?? "", limit: 10, hits: 3 } } })),
    enabled: q !== undefined && q.trim() !== "",
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
