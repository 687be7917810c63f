import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import "dayjs/locale/ru";
import { DatePickerInput, type DatesRangeValue } from "@mantine/dates";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useSyncSource } from "../api/source-mutations";

const DAY = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** "Sync now" over a date range (default: the last 30 days), then what the sync found and started. */
export function SyncForm({ sourceId, sourceName }: { sourceId: number; sourceName: string }) {
  const { t, number, language } = useI18n();
  const sync = useSyncSource(sourceId);
  const [range, setRange] = useState<DatesRangeValue<string>>(() => [isoDay(new Date(Date.now() - 30 * DAY)), isoDay(new Date())]);
  const [from, to] = range;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    sync.mutate({ ...(from ? { from_date: from } : {}), ...(to ? { to_date: to } : {}) });
  };

  return (
    <form onSubmit={submit} aria-label={t.connections.syncForm(sourceName)}>
      <Stack gap="xs">
        <Group align="flex-end" gap="sm">
          <DatePickerInput
            type="range"
            label={t.connections.syncRange}
            description={t.connections.syncRangeHint}
            value={range}
            onChange={setRange}
            maxDate={isoDay(new Date())}
            allowSingleDateInRange
            locale={language}
            ariaLabels={t.app.calendar}
            hideOutsideDates
            weekendDays={[]}
            miw={260}
          />
          <Button type="submit" variant="default" loading={sync.isPending}>
            {t.connections.syncNow}
          </Button>
        </Group>
        {sync.error && <ErrorAlert error={sync.error} />}
        {sync.data && (
          <Alert color="green" styles={{ title: { color: "var(--mantine-color-text)" } }} role="status" title={t.connections.syncDone}>
            <Text size="sm">
              {t.connections.syncSummary({
                found: number(sync.data.recordings_found),
                created: number(sync.data.created),
                updated: number(sync.data.updated),
                unchanged: number(sync.data.unchanged),
                skipped: number(sync.data.skipped),
                files: number(sync.data.new_files),
              })}
            </Text>
          </Alert>
        )}
      </Stack>
    </form>
  );
}
