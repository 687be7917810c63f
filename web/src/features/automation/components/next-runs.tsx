import { Code, List, Stack, Text, Title } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import { cronOf, draftProblems, nextRuns, scheduleOf, type ScheduleDraft } from "../schedule";

/** A fire time in the schedule's own zone, with the zone's short name ("Mon, 7 Dec 2026, 09:00 GMT+9"). */
export function formatInZone(date: Date, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(language, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(date);
}

/** The next five runs of the schedule being edited, computed in the browser in the chosen zone. */
export function NextRuns({ draft }: { draft: ScheduleDraft }) {
  const { t, language } = useI18n();
  const schedule = scheduleOf(draft);
  const runs = draftProblems(draft).length === 0 ? nextRuns(schedule, 5) : null;
  return (
    <Stack gap={4} aria-live="polite">
      <Title order={3} size="h5">
        {t.automation.nextFive(draft.timezone)}
      </Title>
      {runs && runs.length > 0 ? (
        <>
          <Text size="sm" c="dimmed">
            {t.automation.asCron} <Code>{cronOf(schedule)}</Code>
          </Text>
          <List type="ordered" size="sm" aria-label={t.automation.nextFive(draft.timezone)}>
            {runs.map((run) => (
              <List.Item key={run.getTime()}>{formatInZone(run, language, draft.timezone)}</List.Item>
            ))}
          </List>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          {t.automation.noNextRuns}
        </Text>
      )}
    </Stack>
  );
}
