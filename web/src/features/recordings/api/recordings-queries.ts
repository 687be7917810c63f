import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";
import { toListQuery, type RecordingsSearch } from "../search-params";

/** One key factory for the feature: mutations invalidate exactly what they change. */
export const recordingKeys = {
  all: ["recordings"] as const,
  lists: () => [...recordingKeys.all, "list"] as const,
  list: (search: RecordingsSearch) => [...recordingKeys.lists(), search] as const,
  detail: (id: number) => [...recordingKeys.all, "detail", id] as const,
  runs: (id: number) => [...recordingKeys.all, "runs", id] as const,
  video: (id: number) => [...recordingKeys.all, "video", id] as const,
  captions: (id: number) => [...recordingKeys.all, "captions", id] as const,
  topics: (id: number) => [...recordingKeys.all, "topics", id] as const,
  transcript: (id: number) => [...recordingKeys.all, "transcript", id] as const,
  shares: (id: number) => [...recordingKeys.all, "shares", id] as const,
  filterOptions: ["recordings", "filter-options"] as const,
};

const ACTIVE_RUN = new Set(["QUEUED", "RUNNING"]);

export const recordingsListQuery = (search: RecordingsSearch) =>
  queryOptions({
    queryKey: recordingKeys.list(search),
    queryFn: () => unwrap(api.GET("/api/v1/recordings", { params: { query: toListQuery(search) } })),
    placeholderData: keepPreviousData,
  });

export type RecordingDetail = Awaited<ReturnType<typeof fetchDetail>>;
const fetchDetail = (id: number) => unwrap(api.GET("/api/v1/recordings/{id}", { params: { path: { id } } }));

export function useRecordingDetail(id: number) {
  return useQuery({
    queryKey: recordingKeys.detail(id),
    queryFn: () => fetchDetail(id),
    // Poll only while something runs.
    refetchInterval: (query) => (ACTIVE_RUN.has(query.state.data?.latest_run?.status ?? "") ? 2000 : false),
  });
}

export function useRecordingRuns(id: number, polling: boolean) {
  return useQuery({
    queryKey: recordingKeys.runs(id),
    queryFn: () => unwrap(api.GET("/api/v1/recordings/{id}/runs", { params: { path: { id } } })),
    refetchInterval: polling ? 2000 : false,
  });
}

/** Templates and sources for the list's filter menus. */
export function useFilterOptions() {
  return useQuery({
    queryKey: recordingKeys.filterOptions,
    queryFn: async () => {
      const [templates, sources] = await Promise.all([unwrap(api.GET("/api/v1/templates")), unwrap(api.GET("/api/v1/sources"))]);
      return {
        templates: templates.map((t) => ({ value: String(t.id), label: t.name })),
        sources: sources.map((s) => ({ value: String(s.id), label: s.name })),
      };
    },
    staleTime: 60_000,
  });
}

export type BulkAction = "process" | "delete" | "restore";

export function useBulkAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, ids }: { action: BulkAction; ids: number[] }) => {
      const body = { recording_ids: ids, limit: ids.length };
      if (action === "process") return unwrap(api.POST("/api/v1/recordings/bulk/process", { body }));
      if (action === "delete") return unwrap(api.POST("/api/v1/recordings/bulk/delete", { body }));
      return unwrap(api.POST("/api/v1/recordings/bulk/restore", { body }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: recordingKeys.all }),
  });
}

export type RecordingAction = "process" | "pause" | "resume" | "cancel" | "retry" | "delete" | "restore";

export function useRecordingAction(id: number) {
  const queryClient = useQueryClient();
  const path = { params: { path: { id } } };
  return useMutation({
    mutationFn: async (action: RecordingAction): Promise<unknown> => {
      switch (action) {
        case "process":
          return unwrap(api.POST("/api/v1/recordings/{id}/process", path));
        case "pause":
          return unwrap(api.POST("/api/v1/recordings/{id}/pause", path));
        case "resume":
          return unwrap(api.POST("/api/v1/recordings/{id}/resume", path));
        case "cancel":
          return unwrap(api.POST("/api/v1/recordings/{id}/cancel", path));
        case "retry":
          return unwrap(api.POST("/api/v1/recordings/{id}/retry", path));
        case "delete":
          return unwrap(api.DELETE("/api/v1/recordings/{id}", path));
        case "restore":
          return unwrap(api.POST("/api/v1/recordings/{id}/restore", path));
      }
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: recordingKeys.detail(id) }),
        queryClient.invalidateQueries({ queryKey: recordingKeys.runs(id) }),
        queryClient.invalidateQueries({ queryKey: recordingKeys.lists() }),
      ]),
  });
}
