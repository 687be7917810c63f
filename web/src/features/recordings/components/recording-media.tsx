import { Button, Card, Grid, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useRef } from "react";
import { ChapterTimeline } from "../../../components/chapter-timeline";
import { ChaptersList } from "../../../components/chapters-list";
import { ErrorAlert } from "../../../components/query-state";
import { TranscriptPanel } from "../../../components/transcript-panel";
import { seekVideo, VideoPlayer } from "../../../components/video-player";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useCaptionsLink, useDownload, useRenewVideoLink, useTopics, useTranscript, useVideoLink } from "../api/media-queries";

/** An error shortly after a fresh URL is the file itself, not an expired link: renewing again would loop. */
const RENEW_AFTER_ERROR_MIN_AGE_MS = 5_000;

/** The player (trimmed video, else the original), its chapters, the searchable transcript and the downloads. */
export function RecordingMedia({ id, title, startAt }: { id: number; title: string; startAt?: number }) {
  const { t, language } = useI18n();
  const videoRef = useRef<HTMLVideoElement>(null);
  const video = useVideoLink(id);
  const captions = useCaptionsLink(id);
  const topics = useTopics(id);
  const transcript = useTranscript(id);
  const renew = useRenewVideoLink(id);
  const download = useDownload(id);
  const seek = (seconds: number) => seekVideo(videoRef.current, seconds);

  // `?t=` (a search hit's link): the player starts at that second, once per link, not on a renewed URL.
  const startedAt = useRef<number | undefined>(undefined);
  const hasVideo = Boolean(video.data);
  useEffect(() => {
    const element = videoRef.current;
    if (!element || !hasVideo || startAt === undefined || startedAt.current === startAt) return;
    startedAt.current = startAt;
    // Before the metadata, this sets where playback will start; after it, it seeks.
    element.currentTime = startAt;
    if (element.readyState === 0) element.addEventListener("loadedmetadata", () => (element.currentTime = startAt), { once: true });
  }, [startAt, hasVideo]);

  const onMediaError = () => {
    if (Date.now() - video.dataUpdatedAt > RENEW_AFTER_ERROR_MIN_AGE_MS) void renew();
  };
  const startDownload = (kind: "processed" | "original" | "srt" | "vtt" | "transcript") =>
    download.mutate(kind, {
      onError: (error) =>
        notifications.show({ color: "red", message: error instanceof ApiError && error.status === 404 ? t.media.notAvailable : error instanceof ApiError ? error.message : t.app.genericError }),
    });

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Card withBorder>
          <Stack gap="sm">
            <Title order={2} size="h3">
              {t.media.video}
            </Title>
            {video.error ? (
              <ErrorAlert error={video.error} onRetry={() => video.refetch()} />
            ) : video.isPending ? (
              <Loader role="status" aria-label={t.app.loading} />
            ) : video.data === null ? (
              <Text c="dimmed">{t.media.noVideo}</Text>
            ) : (
              <>
                <VideoPlayer
                  src={video.data.url}
                  label={t.media.playerLabel(title)}
                  videoRef={videoRef}
                  captions={captions.data ? { src: captions.data.url, label: t.media.captions, language } : null}
                  onMediaError={onMediaError}
                />
                {topics.data && <ChapterTimeline chapters={topics.data.chapters} videoRef={videoRef} onSeek={seek} label={t.media.chapterMarks} />}
                <Text size="sm" c="dimmed">
                  {video.data.kind === "processed" ? t.media.playingProcessed : t.media.playingOriginal}
                </Text>
                <Group gap="xs">
                  <Button size="xs" variant="light" loading={download.isPending && download.variables === video.data.kind} onClick={() => startDownload(video.data?.kind === "processed" ? "processed" : "original")}>
                    {t.media.downloadVideo}
                  </Button>
                  {transcript.data && (
                    <>
                      <Button size="xs" variant="light" loading={download.isPending && download.variables === "srt"} onClick={() => startDownload("srt")}>
                        {t.media.downloadSrt}
                      </Button>
                      <Button size="xs" variant="light" loading={download.isPending && download.variables === "vtt"} onClick={() => startDownload("vtt")}>
                        {t.media.downloadVtt}
                      </Button>
                      <Button size="xs" variant="light" loading={download.isPending && download.variables === "transcript"} onClick={() => startDownload("transcript")}>
                        {t.media.downloadTranscript}
                      </Button>
                    </>
                  )}
                </Group>
              </>
            )}
          </Stack>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="lg">
          <Card withBorder>
            <Stack gap="sm">
              <Title order={2} size="h3">
                {t.media.chapters}
              </Title>
              {topics.error ? (
                <ErrorAlert error={topics.error} onRetry={() => topics.refetch()} />
              ) : topics.isPending ? (
                <Loader size="sm" role="status" aria-label={t.app.loading} />
              ) : !topics.data || topics.data.chapters.length === 0 ? (
                <Text c="dimmed">{t.media.chaptersNotYet}</Text>
              ) : (
                <>
                  {topics.data.summary && <Text size="sm">{topics.data.summary}</Text>}
                  <ChaptersList chapters={topics.data.chapters} onSeek={seek} label={t.media.chapters} />
                </>
              )}
            </Stack>
          </Card>
          <Card withBorder>
            <Stack gap="sm">
              <Title order={2} size="h3">
                {t.media.transcript}
              </Title>
              {transcript.error ? (
                <ErrorAlert error={transcript.error} onRetry={() => transcript.refetch()} />
              ) : transcript.isPending ? (
                <Loader size="sm" role="status" aria-label={t.app.loading} />
              ) : !transcript.data || transcript.data.length === 0 ? (
                <Text c="dimmed">{t.media.transcriptNotYet}</Text>
              ) : (
                <TranscriptPanel
                  segments={transcript.data}
                  onSeek={seek}
                  labels={{ search: t.media.searchTranscript, list: t.media.transcript, noMatches: t.media.noMatches }}
                />
              )}
            </Stack>
          </Card>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
