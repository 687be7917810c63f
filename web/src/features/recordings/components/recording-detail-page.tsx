import { Anchor, Card, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { getRouteApi, Link } from "@tanstack/react-router";
import { NotFound } from "../../../components/not-found";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useRecordingDetail, useRecordingRuns, type RecordingDetail } from "../api/recordings-queries";
import { OutputsList } from "./outputs-list";
import { RecordingConfigCard } from "./recording-config-card";
import { RecordingMedia } from "./recording-media";
import { RunTimeline } from "./run-timeline";
import { ShareLinksPanel } from "./share-links-panel";
import { StatusBadge } from "./status-badge";
import { TemplateFromRecording } from "./template-from-recording";

const route = getRouteApi("/app/recordings/$recordingId");

export function RecordingDetailPage() {
  const { recordingId } = route.useParams();
  const id = /^\d{1,15}$/.test(recordingId) ? Number(recordingId) : null;
  // Not a recording id at all: the same page as an id of someone else's recording.
  return id === null || id < 1 ? <NotFound /> : <RecordingDetailView id={id} />;
}

function RecordingDetailView({ id }: { id: number }) {
  const { t } = useI18n();
  const detail = useRecordingDetail(id);
  const running = ["QUEUED", "RUNNING"].includes(detail.data?.latest_run?.status ?? "");
  const runs = useRecordingRuns(id, running);
  const { t: startAt } = route.useSearch();
  return (
    <QueryState query={detail}>
      {(recording) => (
        <Stack gap="lg">
          <Anchor component={Link} to="/recordings" size="sm">
            ← {t.detail.back}
          </Anchor>
          <PageTitle title={recording.display_name} actions={<StatusBadge status={recording.status} failed={recording.failed} />} />
          {!recording.deleted && <RecordingMedia id={id} title={recording.display_name} startAt={startAt} />}
          <Metadata recording={recording} />
          {!recording.deleted && <RecordingConfigCard recordingId={id} />}
          <Card withBorder>
            <QueryState query={runs}>{(data) => <RunTimeline recordingId={id} runs={data.items} deleted={recording.deleted} />}</QueryState>
          </Card>
          <Card withBorder>
            <OutputsList recordingId={id} outputs={recording.outputs} canPublish={!recording.deleted} busy={running} />
          </Card>
          {!recording.deleted && (
            <Card withBorder>
              <ShareLinksPanel recordingId={id} />
            </Card>
          )}
        </Stack>
      )}
    </QueryState>
  );
}

function Metadata({ recording }: { recording: RecordingDetail }) {
  const { t, dateTime, duration, bytes } = useI18n();
  const rows: [string, string][] = [
    [t.detail.id, String(recording.id)],
    [t.detail.start, dateTime(recording.start_time)],
    [t.detail.duration, duration(recording.duration)],
    [t.detail.size, bytes(recording.video_file_size)],
    [t.detail.source, recording.source.name ?? recording.source.type ?? t.detail.none],
    [t.detail.template, recording.template_name ?? t.detail.none],
    [t.detail.created, dateTime(recording.created_at)],
    [t.detail.updated, dateTime(recording.updated_at)],
  ];
  if (recording.failed_reason) rows.push([t.detail.failedReason, recording.failed_reason]);
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Text fw={600} component="h2" size="lg" m={0}>
          {t.detail.metadata}
        </Text>
        {!recording.deleted && <TemplateFromRecording recordingId={recording.id} displayName={recording.display_name} />}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" component="dl" m={0}>
        {rows.map(([label, value]) => (
          <Group key={label} gap="xs" wrap="nowrap" align="baseline">
            <Text component="dt" c="dimmed" size="sm" miw={120}>
              {label}
            </Text>
            <Text component="dd" m={0} size="sm">
              {value}
            </Text>
          </Group>
        ))}
      </SimpleGrid>
    </Card>
  );
}
