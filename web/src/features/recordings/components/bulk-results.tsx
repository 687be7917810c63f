import { Alert, List, Text } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import type { BulkAction, BulkResult } from "../api/recordings-queries";

interface Props {
  action: BulkAction;
  result: BulkResult;
  /** Names of the recordings the page knows (the selection), for the per-recording lines. */
  names: ReadonlyMap<number, string>;
  onClose: () => void;
}

/** What a bulk action did: the counts, and each recording it skipped or failed on, with the reason. */
export function BulkResults({ action, result, names, onClose }: Props) {
  const { t } = useI18n();
  const problems = result.details.filter((d) => d.status !== "done");
  const color = result.error_count > 0 ? "red" : result.skipped_count > 0 ? "yellow" : "green";
  return (
    <Alert
      color={color}
      role="status"
      title={t.recordings.resultTitle(action)}
      withCloseButton
      closeButtonLabel={t.recordings.closeResults}
      onClose={onClose}
      mb="sm"
      // The title in the text colour: the light variant's green or yellow title fails 4.5:1.
      styles={{ title: { color: "var(--mantine-color-text)" } }}
    >
      <Text size="sm">{t.recordings.bulkDone(result.succeeded_count, result.skipped_count, result.error_count)}</Text>
      {problems.length > 0 && (
        <List size="sm" mt="xs" aria-label={t.recordings.notDone}>
          {problems.map((d) => (
            <List.Item key={d.recording_id}>
              {t.recordings.outcomeLine(names.get(d.recording_id) ?? `#${d.recording_id}`, d.status === "error" ? t.recordings.outcomeError : t.recordings.outcomeSkipped, d.reason ?? d.run_status ?? "")}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
