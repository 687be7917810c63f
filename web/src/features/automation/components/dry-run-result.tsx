import { Alert, List, Stack, Text } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import type { RunResult } from "../api/automation-mutations";

/** What a run now would do (the API's dry run): its window, the recordings it would pick and start. Nothing was changed. */
export function DryRunResult({ result, onClose }: { result: RunResult; onClose: () => void }) {
  const { t, dateTime } = useI18n();
  const starting = new Set(result.would_start ?? []);
  return (
    <Alert color="blue" role="status" title={t.automation.dryRunTitle} withCloseButton onClose={onClose} closeButtonLabel={t.automation.dismiss}>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {result.message}
        </Text>
        {result.window && <Text size="sm">{t.automation.dryRunWindow(dateTime(result.window.from), dateTime(result.window.to))}</Text>}
        <Text size="sm">{t.automation.dryRunMatched(result.estimated_matched_recordings ?? 0)}</Text>
        {result.matched_recordings && result.matched_recordings.length > 0 && (
          <List size="sm">
            {result.matched_recordings.map((r) => (
              <List.Item key={r.id}>
                {r.display_name} — {dateTime(r.start_time)} {starting.has(r.id) ? `(${t.automation.wouldStart})` : ""}
              </List.Item>
            ))}
          </List>
        )}
        <Text size="sm">{result.auto_upload ? t.automation.dryRunUploads : t.automation.dryRunNoUploads}</Text>
        <Text size="xs" c="dimmed">
          {t.automation.dryRunNothingChanged}
        </Text>
      </Stack>
    </Alert>
  );
}
