import type { components } from "../../../api/schema";
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
  config: (id: number) => [...recordingKeys.all, "config", id] as const,
  filterOptions: ["recordings", "filter-options"] as const,
};

const ACTIVE_RUN = new Set(["QUEUED", "RUNNING"]);
/** Polling period while something on a page runs; nothing is polled otherwise. */
export const LIVE_POLL_MS = 2000;

export type Recording = components["schemas"]["Recording"];
export type Run = components["schemas"]["Run"];

/** Statuses in which a stage of the pipeline is working on the recording right now. */
const WORKING_STATUSES = new Set<Recording["status"]>(["DOWNLOADING", "PROCESSING", "TRANSCRIBING", "PREPARING", "UPLOADING"]);
export const isWorking = (r: Pick<Recording, "status" | "failed">) => !r.failed && WORKING_STATUSES.has(r.status);

/**
 * One page of the list. It refreshes itself only while a row is being worked on (or a run started
 * from this page is still watched), so an idle page sends nothing.
 */
export const recordingsListQuery = (search: RecordingsSearch, watching = false) =>
  queryOptions({
    queryKey: recordingKeys.list(search),
    queryFn: () => unwrap(api.GET("/api/v1/recordings", { params: { query: toListQuery(search) } })),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (watching || query.state.data?.items.some(isWorking) ? LIVE_POLL_MS : false),
  });

/** The newest run of one row, polled while it is queued or running (a live progress chip). */
export function useLiveRun(id: number, enabled: boolean) {
  return useQuery({
    queryKey: recordingKeys.runs(id),
    queryFn: () => unwrap(api.GET("/api/v1/recordings/{id}/runs", { params: { path: { id } } })),
    enabled,
    select: (data): Run | null => data.items[0] ?? null,
    refetchInterval: (query) => (enabled && ACTIVE_RUN.has(query.state.data?.items[0]?.status ?? "QUEUED") ? LIVE_POLL_MS : false),
  });
}

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

export type BulkAction = "process" | "upload" | "delete" | "restore";
export type BulkResult = components["schemas"]["BulkResult"];

export function useBulkAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, ids }: { action: BulkAction; ids: number[] }): Promise<BulkResult> => {
      const body = { recording_ids: ids, limit: ids.length };
      switch (action) {
        case "process":
          return unwrap(api.POST("/api/v1/recordings/bulk/process", { body })).then((result) => {
            // Only a dry run answers without per-recording outcomes; this call never asks for one.
            if (!("details" in result)) throw new Error("unexpected dry-run answer");
            return result;
          });
        case "upload":
          return unwrap(api.POST("/api/v1/recordings/bulk/upload", { body }));
        case "delete":
          return unwrap(api.POST("/api/v1/recordings/bulk/delete", { body }));
        case "restore":
          return unwrap(api.POST("/api/v1/recordings/bulk/restore", { body }));
      }
    },
    onSuccess: (_, { ids }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: recordingKeys.lists() }),
        ...ids.flatMap((id) => [
          queryClient.invalidateQueries({ queryKey: recordingKeys.detail(id) }),
          queryClient.invalidateQueries({ queryKey: recordingKeys.runs(id) }),
        ]),
      ]),
  });
}

/**
 * The CSV of the selection (ids) or of every recording the filters match, saved as a file. The
 * request carries the bearer token, so it is fetched and handed to the browser as a blob.
 */
export function useExportCsv() {
  return useMutation({
    mutationFn: async ({ search, ids }: { search: RecordingsSearch; ids?: number[] }) => {
      const { page: _page, per_page: _perPage, ...filters } = toListQuery(search);
      const query = ids ? { format: "csv" as const, ids: ids.join(","), include_deleted: "true" as const } : { ...filters, format: "csv" as const };
      const blob = await unwrap(api.GET("/api/v1/recordings/export", { params: { query }, parseAs: "blob" }));
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = `recordings-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
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
