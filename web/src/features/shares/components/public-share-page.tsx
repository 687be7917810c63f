import { Alert, Anchor, Button, Card, Center, Grid, Group, Loader, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { getRouteApi } from "@tanstack/react-router";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ChapterTimeline } from "../../../components/chapter-timeline";
import { ChaptersList } from "../../../components/chapters-list";
import { ErrorAlert } from "../../../components/query-state";
import { TranscriptPanel } from "../../../components/transcript-panel";
import { seekVideo, VideoPlayer } from "../../../components/video-player";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { usePublicShare } from "../api/public-share-queries";

const route = getRouteApi("/share/s/$token");
const RENEW_AFTER_ERROR_MIN_AGE_MS = 5_000;

/** The page behind a share link (inside the app's share layout). */
export function PublicSharePage() {
  const { token } = route.useParams();
  return <SharedRecording token={token} />;
}

function SharedRecording({ token }: { token: string }) {
  const { t, dateTime, duration, language } = useI18n();
  const [password, setPassword] = useState<string | null>(null);
  const share = usePublicShare(token, password);
  const videoRef = useRef<HTMLVideoElement>(null);
  const title = share.data?.title;
  useEffect(() => {
    document.title = `${title ?? t.publicShare.notFoundTitle} · ${t.app.title}`;
  }, [title, t]);

  if (share.error instanceof ApiError && share.error.status === 404) {
    return (
      <Stack gap="sm" py="xl">
        <Title order={1}>{t.publicShare.notFoundTitle}</Title>
        <Text>{t.publicShare.notFoundText}</Text>
      </Stack>
    );
  }
  if ((share.error instanceof ApiError && share.error.status === 401) || (share.error instanceof ApiError && share.error.status === 429)) {
    return <PasswordForm error={share.error} tried={password !== null} onSubmit={setPassword} />;
  }
  if (share.error) return <ErrorAlert error={share.error} onRetry={() => share.refetch()} />;
  if (share.isPending) {
    return (
      <Center py="xl">
        <Loader role="status" aria-label={t.app.loading} />
      </Center>
    );
  }
  const view = share.data;
  const seek = (seconds: number) => seekVideo(videoRef.current, seconds);
  const onMediaError = () => {
    if (Date.now() - share.dataUpdatedAt > RENEW_AFTER_ERROR_MIN_AGE_MS) void share.refetch();
  };
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1} size="h2">
          {view.title}
        </Title>
        <Text c="dimmed" size="sm">
          {dateTime(view.start_time)} · {duration(view.duration)}
          {view.expires_at ? ` · ${t.publicShare.availableUntil(dateTime(view.expires_at))}` : ""}
        </Text>
      </Stack>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            {view.video ? (
              <VideoPlayer
                src={view.video.url}
                label={t.media.playerLabel(view.title)}
                videoRef={videoRef}
                captions={view.subtitles.vtt ? { src: view.subtitles.vtt, label: t.media.captions, language } : null}
                onMediaError={onMediaError}
              />
            ) : (
              <Text c="dimmed">{t.media.noVideo}</Text>
            )}
            {view.video && <ChapterTimeline chapters={view.chapters} videoRef={videoRef} onSeek={seek} label={t.media.chapterMarks} />}
            <Group gap="md">
              {view.video?.download_url && <Anchor href={view.video.download_url}>{t.publicShare.download}</Anchor>}
              {view.subtitles.srt && <Anchor href={view.subtitles.srt}>{t.media.downloadSrt}</Anchor>}
              {view.subtitles.vtt && <Anchor href={view.subtitles.vtt}>{t.media.downloadVtt}</Anchor>}
            </Group>
            {view.description && (
              <Card withBorder>
                <Title order={2} size="h4" mb="xs">
                  {t.publicShare.summary}
                </Title>
                <Text size="sm">{view.description}</Text>
              </Card>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t.media.chapters}
              </Title>
              {view.chapters.length === 0 ? <Text c="dimmed">{t.media.chaptersNotYet}</Text> : <ChaptersList chapters={view.chapters} onSeek={seek} label={t.media.chapters} />}
            </Card>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                {t.media.transcript}
              </Title>
              {view.transcript.length === 0 ? (
                <Text c="dimmed">{t.media.transcriptNotYet}</Text>
              ) : (
                <TranscriptPanel segments={view.transcript} onSeek={seek} labels={{ search: t.media.searchTranscript, list: t.media.transcript, noMatches: t.media.noMatches }} />
              )}
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function PasswordForm({ error, tried, onSubmit }: { error: ApiError; tried: boolean; onSubmit: (password: string) => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value) onSubmit(value);
  };
  const message =
    error.status === 429 ? t.publicShare.tooManyAttempts(error.retryAfterSeconds ?? 60) : tried && error.status === 401 ? t.publicShare.wrongPassword : null;
  return (
    <Stack gap="sm" maw={420} py="xl">
      <Title order={1} size="h2">
        {t.publicShare.passwordTitle}
      </Title>
      <Text>{t.publicShare.passwordText}</Text>
      {message && (
        <Alert color="red" role="alert">
          {message}
        </Alert>
      )}
      <form onSubmit={submit}>
        <Stack gap="sm">
          <PasswordInput label={t.publicShare.password} value={value} onChange={(e) => setValue(e.currentTarget.value)} autoComplete="off" required />
          <Button type="submit">{t.publicShare.open}</Button>
        </Stack>
      </form>
    </Stack>
  );
}
