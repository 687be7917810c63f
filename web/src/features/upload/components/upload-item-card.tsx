import { Anchor, Badge, Button, Group, Paper, Progress, Stack, Text, TextInput, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { useId } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import type { UploadItem, UploadQueue, UploadStatus } from "../model/upload-queue";

const STATUS_COLORS: Record<UploadStatus, string> = {
  ready: "gray",
  queued: "gray",
  uploading: "blue",
  retrying: "orange",
  paused: "yellow",
  completing: "blue",
  done: "green",
  failed: "red",
};

/** One file: its name, progress (bytes, parts, speed, time left) and what can be done with it now. */
export function UploadItemCard({ item, queue }: { item: UploadItem; queue: UploadQueue }) {
  const { t } = useI18n();
  const titleId = useId();
  const percent = item.status === "done" ? 100 : item.file.size > 0 ? Math.floor((item.sentBytes / item.file.size) * 100) : 0;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={titleId}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Title order={3} size="h5" id={titleId} style={{ overflowWrap: "anywhere" }}>
            {item.file.name}
          </Title>
          {/* The "dot" badge keeps body-coloured text (contrast) with the status colour in its dot. */}
          <Badge variant="dot" color={STATUS_COLORS[item.status]} style={{ flexShrink: 0 }}>
            {t.upload.status[item.status]}
          </Badge>
        </Group>
        {item.status === "ready" ? (
          <TextInput
            label={t.upload.name}
            required
            maxLength={500}
            value={item.displayName}
            error={item.displayName.trim() ? undefined : t.upload.nameRequired}
            onChange={(event) => queue.rename(item.key, event.currentTarget.value)}
          />
        ) : (
          <Text size="sm">{item.displayName}</Text>
        )}
        {item.status !== "ready" && (
          <Progress.Root size="lg" radius="sm">
            <Progress.Section value={percent} color={STATUS_COLORS[item.status]} aria-label={t.upload.progressLabel(item.file.name)} />
          </Progress.Root>
        )}
        <ProgressLine item={item} />
        {item.skippedParts !== null && item.partCount !== null && (
          <Text size="sm" role="status">
            {t.upload.skipped(item.skippedParts, item.partCount)}
          </Text>
        )}
        {item.status === "retrying" && <Text size="sm">{t.upload.retrying(item.attempt)}</Text>}
        {item.status === "failed" && item.failure && (
          <Text size="sm" c="red.8" role="alert">
            {t.upload.failure[item.failure]}
          </Text>
        )}
        {item.status === "done" && item.recordingId !== null && (
          <Text size="sm" role="status">
            {t.upload.status.done}.{" "}
            <Anchor
              fw={600}
              renderRoot={(props) => <Link {...props} to="/recordings/$recordingId" params={{ recordingId: String(item.recordingId) }} />}
            >
              {t.upload.openRecording}
            </Anchor>
          </Text>
        )}
        <Actions item={item} queue={queue} />
      </Stack>
    </Paper>
  );
}

function ProgressLine({ item }: { item: UploadItem }) {
  const { t, bytes, duration } = useI18n();
  if (item.status === "ready") return null;
  const parts = [t.upload.progress(bytes(item.sentBytes), bytes(item.file.size))];
  if (item.partCount !== null && item.partCount > 1) parts.push(t.upload.parts(item.partsDone, item.partCount));
  if (item.status === "uploading" && item.bytesPerSecond !== null && item.bytesPerSecond > 0) {
    parts.push(t.upload.speed(bytes(item.bytesPerSecond)));
    parts.push(t.upload.timeLeft(duration((item.file.size - item.sentBytes) / item.bytesPerSecond)));
  }
  return (
    <Text size="sm" c="dimmed">
      {parts.join(" · ")}
    </Text>
  );
}

function Actions({ item, queue }: { item: UploadItem; queue: UploadQueue }) {
  const { t } = useI18n();
  const running = item.status === "queued" || item.status === "uploading" || item.status === "retrying";
  return (
    <Group gap="xs">
      {running && (
        <Button size="xs" variant="default" onClick={() => queue.pause(item.key)}>
          {t.upload.pause}
        </Button>
      )}
      {item.status === "paused" && (
        <Button size="xs" onClick={() => queue.resume(item.key)}>
          {t.upload.resume}
        </Button>
      )}
      {item.status === "failed" && (
        <Button size="xs" onClick={() => queue.resume(item.key)}>
          {t.upload.tryAgain}
        </Button>
      )}
      {item.status !== "done" && item.status !== "completing" && (
        <Button size="xs" variant="subtle" color="red" onClick={() => void queue.cancel(item.key)}>
          {t.upload.cancel}
        </Button>
      )}
      {item.status === "done" && (
        <Button size="xs" variant="subtle" onClick={() => queue.dismiss(item.key)}>
          {t.upload.dismiss}
        </Button>
      )}
    </Group>
  );
}
