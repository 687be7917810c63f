import { Button, Group, Modal, Paper, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { type BulkAction, type BulkResult, useBulkAction, useExportCsv } from "../api/recordings-queries";
import type { RecordingsSearch } from "../search-params";

/** Actions that change or publish recordings for good: asked once more before they run. */
const CONFIRMED: ReadonlySet<BulkAction> = new Set(["delete", "upload"]);

interface Props {
  ids: number[];
  search: RecordingsSearch;
  onClear: () => void;
  /** The API's per-recording outcome of an action (shown by the page, with the names). */
  onResult: (action: BulkAction, result: BulkResult) => void;
}

/** Process, publish, delete, restore or export the selected recordings. */
export function BulkActions({ ids, search, onClear, onResult }: Props) {
  const { t } = useI18n();
  const bulk = useBulkAction();
  const exportCsv = useExportCsv();
  const [confirming, setConfirming] = useState<BulkAction | null>(null);
  const fail = (error: unknown) => notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError });

  const run = (action: BulkAction) => {
    setConfirming(null);
    bulk.mutate({ action, ids }, { onSuccess: (result) => onResult(action, result), onError: fail });
  };
  const ask = (action: BulkAction) => (CONFIRMED.has(action) ? setConfirming(action) : run(action));
  const pending = (action: BulkAction) => bulk.isPending && bulk.variables?.action === action;

  return (
    <Paper withBorder p="xs" mb="sm" role="region" aria-label={t.recordings.bulkToolbar}>
      <Group justify="space-between" gap="xs">
        <Text fw={500} aria-live="polite">
          {t.recordings.selected(ids.length)}
        </Text>
        <Group gap="xs">
          <Button size="xs" onClick={() => ask("process")} loading={pending("process")}>
            {t.recordings.process}
          </Button>
          <Button size="xs" variant="light" onClick={() => ask("upload")} loading={pending("upload")}>
            {t.recordings.publish}
          </Button>
          <Button size="xs" variant="default" onClick={() => ask("restore")} loading={pending("restore")}>
            {t.recordings.restore}
          </Button>
          <Button size="xs" variant="default" onClick={() => exportCsv.mutate({ search, ids }, { onError: fail })} loading={exportCsv.isPending}>
            {t.recordings.exportSelected}
          </Button>
          <Button size="xs" color="red" variant="light" onClick={() => ask("delete")} loading={pending("delete")}>
            {t.recordings.delete}
          </Button>
          <Button size="xs" variant="subtle" onClick={onClear}>
            {t.recordings.clearSelection}
          </Button>
        </Group>
      </Group>
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={confirming ? t.recordings.confirmTitle(confirming, ids.length) : ""}
        closeButtonProps={{ "aria-label": t.recordings.cancel }}
        centered
      >
        <Text size="sm" mb="md">
          {confirming === "delete" ? t.recordings.confirmDelete : t.recordings.confirmPublish}
        </Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={() => setConfirming(null)}>
            {t.recordings.cancel}
          </Button>
          <Button color={confirming === "delete" ? "red.9" : undefined} onClick={() => confirming && run(confirming)} data-autofocus>
            {confirming === "delete" ? t.recordings.confirmDeleteButton(ids.length) : t.recordings.confirmPublishButton(ids.length)}
          </Button>
        </Group>
      </Modal>
    </Paper>
  );
}
