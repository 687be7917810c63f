import { Button, Group, Paper, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useBulkAction, type BulkAction } from "../api/recordings-queries";

/** Process, delete or restore the selected recordings; the API reports each one's outcome. */
export function BulkActions({ ids, onDone }: { ids: number[]; onDone: () => void }) {
  const { t } = useI18n();
  const bulk = useBulkAction();
  const run = (action: BulkAction) =>
    bulk.mutate(
      { action, ids },
      {
        onSuccess: (result) => {
          const counts = "succeeded_count" in result ? result : null;
          notifications.show({
            color: counts && counts.error_count > 0 ? "orange" : "green",
            message: counts ? t.recordings.bulkDone(counts.succeeded_count, counts.skipped_count, counts.error_count) : t.detail.actionDone,
          });
          onDone();
        },
        onError: (error) => notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }),
      },
    );
  return (
    <Paper withBorder p="xs" mb="sm" role="region" aria-label={t.recordings.selected(ids.length)}>
      <Group justify="space-between">
        <Text fw={500}>{t.recordings.selected(ids.length)}</Text>
        <Group gap="xs">
          <Button size="xs" onClick={() => run("process")} loading={bulk.isPending && bulk.variables?.action === "process"}>
            {t.recordings.process}
          </Button>
          <Button size="xs" color="red" variant="light" onClick={() => run("delete")} loading={bulk.isPending && bulk.variables?.action === "delete"}>
            {t.recordings.delete}
          </Button>
          <Button size="xs" variant="default" onClick={() => run("restore")} loading={bulk.isPending && bulk.variables?.action === "restore"}>
            {t.recordings.restore}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
