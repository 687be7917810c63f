import { Badge, Button, Card, Group, Progress, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { components } from "../../../api/schema";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useRecordingAction, type RecordingAction } from "../api/recordings-queries";
import { StageActions } from "./stage-actions";

type Run = components["schemas"]["Run"];

const RUN_COLORS: Record<string, string> = { COMPLETED: "green", FAILED: "red", CANCELLED: "gray", PAUSED: "yellow", RUNNING: "indigo", QUEUED: "indigo" };

/** Which controls a run offers, by its status (the API refuses the rest with 409). */
function controlsFor(run: Run | undefined, deleted: boolean): RecordingAction[] {
  if (deleted) return ["restore"];
  if (!run) return ["process", "delete"];
  switch (run.status) {
    case "QUEUED":
    case "RUNNING":
      return ["pause", "cancel"];
    case "PAUSED":
      return ["resume", "cancel"];
    case "FAILED":
      return ["retry", "process", "delete"];
    default:
      return ["process", "delete"];
  }
}

export function RunTimeline({ recordingId, runs, deleted }: { recordingId: number; runs: Run[]; deleted: boolean }) {
  const { t, dateTime, milliseconds } = useI18n();
  const action = useRecordingAction(recordingId);
  const labels: Record<RecordingAction, string> = {
    process: t.detail.process,
    pause: t.detail.pause,
    resume: t.detail.resume,
    cancel: t.detail.cancel,
    retry: t.detail.retry,
    delete: t.detail.deleteRecording,
    restore: t.detail.restoreRecording,
  };
  const run = (name: RecordingAction) =>
    action.mutate(name, {
      onSuccess: () => notifications.show({ color: "green", message: t.detail.actionDone }),
      onError: (error) => notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }),
    });

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t.detail.runs}
        </Title>
        <Group gap="xs">
          {controlsFor(runs[0], deleted).map((name) => (
            <Button
              key={name}
              size="xs"
              variant={name === "delete" || name === "cancel" ? "light" : "filled"}
              color={name === "delete" || name === "cancel" ? "red" : undefined}
              loading={action.isPending && action.variables === name}
              onClick={() => run(name)}
            >
              {labels[name]}
            </Button>
          ))}
          {!deleted && !["QUEUED", "RUNNING"].includes(runs[0]?.status ?? "") && <StageActions recordingId={recordingId} />}
        </Group>
      </Group>
      {runs.length === 0 && <Text c="dimmed">{t.detail.noRuns}</Text>}
      {runs.map((r) => (
        <Card key={r.task_id} withBorder padding="sm">
          <Group justify="space-between" mb="xs">
            <Group gap="xs">
              <Text fw={600}>
                {t.detail.run} {dateTime(r.created_at)}
              </Text>
              <Badge color={RUN_COLORS[r.status] ?? "gray"} variant="light">
                {t.detail.runStatus[r.status] ?? r.status}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {t.detail.trigger}: {r.trigger}
            </Text>
          </Group>
          <Progress value={r.progress} aria-label={`${t.detail.progress} ${r.progress}%`} mb="xs" />
          {r.error && (
            <Text c="red.8" size="sm" mb="xs">
              {t.detail.error}: {r.error}
            </Text>
          )}
          <Table.ScrollContainer minWidth={520}>
            <Table verticalSpacing={4} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t.detail.stage}</Table.Th>
                  <Table.Th>{t.detail.status}</Table.Th>
                  <Table.Th>{t.detail.attempts}</Table.Th>
                  <Table.Th>{t.detail.startedAt}</Table.Th>
                  <Table.Th>{t.detail.took}</Table.Th>
                  <Table.Th>{t.detail.error}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.stages.map((s) => (
                  <Table.Tr key={s.stage}>
                    <Table.Td>{t.detail.stageNames[s.stage] ?? s.stage}</Table.Td>
                    <Table.Td>
                      {t.detail.runStatus[s.status] ?? s.status}
                      {s.progress !== null && s.status === "IN_PROGRESS" ? ` (${s.progress}%)` : ""}
                    </Table.Td>
                    <Table.Td>{s.attempts}</Table.Td>
                    <Table.Td>{dateTime(s.started_at)}</Table.Td>
                    <Table.Td>{milliseconds(s.duration_ms)}</Table.Td>
                    <Table.Td>{s.error ?? t.detail.none}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      ))}
    </Stack>
  );
}
