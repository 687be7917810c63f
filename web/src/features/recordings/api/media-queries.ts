import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../../api/schema";
import { api, unwrap } from "../../../lib/api-client";
import { ApiError } from "../../../lib/api-error";
import { recordingKeys } from "./recordings-queries";

type MediaKind = components["schemas"]["MediaLink"]["kind"];
export type MediaLink = components["schemas"]["MediaLink"];

/** Renew a signed URL this long before it expires, so the player never holds a dead one. */
const RENEW_BEFORE_MS = 60_000;
const MIN_RENEW_MS = 10_000;

/** A signed URL of one of the recording's files, as JSON (not the redirect); null when there is no such file yet. */
async function mediaLink(id: number, kind: MediaKind, download = false): Promise<MediaLink | null> {
  try {
    return await unwrap(
      api.GET("/api/v1/recordings/{id}/media/{kind}", {
        params: { path: { id, kind }, query: download ? { download: "1" } : {} },
        headers: { Accept: "application/json" },
      }),
    );
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Until shortly before the link expires. */
const freshFor = (link: MediaLink | null | undefined) => (link ? Math.max(MIN_RENEW_MS, Date.parse(link.expires_at) - Date.now() - RENEW_BEFORE_MS) : 0);

const renewingLink = (queryKey: readonly unknown[], fetch: () => Promise<MediaLink | null>) => ({
  queryKey,
  queryFn: fetch,
  // "Not there yet" is asked again on the next visit after a while (the pipeline may have made it since).
  staleTime: (query: { state: { data: MediaLink | null | undefined } }) => (query.state.data ? freshFor(query.state.data) : 30_000),
  refetchInterval: (query: { state: { data: MediaLink | null | undefined } }) => (query.state.data ? freshFor(query.state.data) : false),
  refetchIntervalInBackground: true,
  refetchOnWindowFocus: false,
});

/** The video to play: the trimmed one when the pipeline made it, else the original; renewed before it expires. */
export function useVideoLink(id: number) {
  return useQuery(renewingLink(recordingKeys.video(id), async () => (await mediaLink(id, "processed")) ?? mediaLink(id, "original")));
}

/** WebVTT captions for the player, when there are subtitles. */
export function useCaptionsLink(id: number) {
  return useQuery(renewingLink(recordingKeys.captions(id), () => mediaLink(id, "vtt")));
}

/** A download: a fresh signed attachment URL, opened at once (it carries no token, so a plain link cannot be used). */
export function useDownload(id: number) {
  return useMutation({
    mutationFn: async (kind: MediaKind) => {
      const link = await mediaLink(id, kind, true);
      if (!link) throw new ApiError(404, "NOT_FOUND", "Not available yet");
      window.location.assign(link.url);
      return link;
    },
  });
}

export interface TopicSpan {
  title: string;
  start: number;
  end: number;
}

/** The active topics version's chapters and summary; null when topics were not extracted yet. */
export function useTopics(id: number) {
  return useQuery({
    queryKey: recordingKeys.topics(id),
    queryFn: async () => {
      try {
        const file = (await unwrap(api.GET("/api/v1/recordings/{id}/topics", { params: { path: { id } } }))) as {
          active_version?: string | null;
          versions?: { id: string; is_active?: boolean; summary?: string | null; topic_timestamps?: { topic: string; start: number; end: number }[] }[];
        };
        const versions = Array.isArray(file.versions) ? file.versions : [];
        const active = versions.find((v) => v.id === file.active_version) ?? versions.find((v) => v.is_active) ?? versions.at(-1);
        if (!active) return null;
        const chapters: TopicSpan[] = (active.topic_timestamps ?? [])
          .filter((t) => typeof t.topic === "string" && Number.isFinite(t.start))
          .map((t) => ({ title: t.topic, start: t.start, end: t.end }));
        return { summary: active.summary ?? null, chapters };
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

/** The transcript's segments; null when the recording was not transcribed yet. */
export function useTranscript(id: number) {
  return useQuery({
    queryKey: recordingKeys.transcript(id),
    queryFn: async () => {
      try {
        const file = (await unwrap(api.GET("/api/v1/recordings/{id}/transcript", { params: { path: { id } } }))) as {
          segments?: { start: number; end: number; text: string }[];
        };
        return (file.segments ?? []).filter((s) => typeof s.text === "string" && Number.isFinite(s.start));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

/** Forget the video link and fetch a new one (after the element reported an error). */
export function useRenewVideoLink(id: number) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: recordingKeys.video(id) });
}
