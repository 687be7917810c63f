import { Group, Progress, Stack, Text } from "@mantine/core";
import { useEffect } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { isWorking, type Recording, useLiveRun } from "../api/recordings-queries";
import { StatusBadge } from "./status-badge";

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

interface Props {
  recording: Recording;
  /** A run was just started for this row from this page: follow it even before the status changes. */
  watched: boolean;
  onRunEnded: (id: number) => void;
}

/** The status chip, with the running stage and its progress while a run works on the recording. */
export function LiveStatus({ recording, watched, onRunEnded }: Props) {
  const { t } = useI18n();
  const live = watched || isWorking(recording);
  const run = useLiveRun(recording.id, live);
  const active = live && run.data && ACTIVE.has(run.data.status) ? run.data : null;
  const ended = watched && run.data !== undefined && !active;

  useEffect(() => {
    if (ended) onRunEnded(recording.id);
  }, [ended, onRunEnded, recording.id]);

  if (!active) return <StatusBadge status={recording.status} failed={recording.failed} />;
  const stage = active.current_stage ?? (active.status === "QUEUED" ? t.recordings.queued : "");
  return (
    <Stack gap={4} miw={120}>
      <Group gap={6} wrap="nowrap">
        <StatusBadge status={recording.status} failed={recording.failed} />
        <Text size="xs" c="dimmed">
          {t.recordings.runProgress(stage, active.progress)}
        </Text>
      </Group>
      <Progress.Root size="sm">
        <Progress.Section value={active.progress} aria-label={t.recordings.progressOf(recording.display_name)} animated striped />
      </Progress.Root>
    </Stack>
  );
}
