import { Checkbox, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useMemo } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { draftProblems, SCHEDULE_TYPES, type ScheduleDraft } from "../schedule";
import { NextRuns } from "./next-runs";

/** Presets (daily, weekly, every N hours) or a cron expression, in a chosen time zone, with the next five runs. */
export function ScheduleEditor({ value, onChange, checked, apiError }: { value: ScheduleDraft; onChange: (next: ScheduleDraft) => void; checked: boolean; apiError?: string }) {
  const { t } = useI18n();
  const zones = useMemo(() => Intl.supportedValuesOf("timeZone"), []);
  const problems = checked ? draftProblems(value) : [];
  const set = (patch: Partial<ScheduleDraft>) => onChange({ ...value, ...patch });
  const errorOf = (field: (typeof problems)[number]) => (problems.includes(field) ? t.automation.scheduleErrors[field] : undefined);

  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Select
          label={t.automation.repeat}
          data={SCHEDULE_TYPES.map((type) => ({ value: type, label: t.automation.scheduleTypes[type] }))}
          value={value.type}
          onChange={(v) => {
            const type = SCHEDULE_TYPES.find((s) => s === v);
            if (type) set({ type });
          }}
          allowDeselect={false}
        />
        <Select label={t.automation.timeZone} data={zones} value={value.timezone} onChange={(v) => v && set({ timezone: v })} searchable allowDeselect={false} />
      </SimpleGrid>
      {(value.type === "time_of_day" || value.type === "weekdays") && (
        <TextInput type="time" label={t.automation.time} value={value.time} onChange={(e) => set({ time: e.currentTarget.value })} error={errorOf("time")} maw={200} />
      )}
      {value.type === "weekdays" && (
        <Checkbox.Group label={t.automation.days} value={value.days.map(String)} onChange={(days) => set({ days: days.map(Number) })} error={errorOf("days")}>
          <Group gap="sm" mt={6}>
            {t.automation.weekdays.map((day, index) => (
              <Checkbox key={day} value={String(index)} label={day} />
            ))}
          </Group>
        </Checkbox.Group>
      )}
      {value.type === "hours" && (
        <NumberInput
          label={t.automation.everyHours}
          min={1}
          max={24}
          value={value.hours}
          onChange={(v) => set({ hours: typeof v === "number" ? v : Number(v) })}
          error={errorOf("hours")}
          maw={200}
        />
      )}
      {value.type === "cron" && (
        <TextInput
          label={t.automation.cronExpression}
          description={t.automation.cronHint}
          value={value.expression}
          onChange={(e) => set({ expression: e.currentTarget.value })}
          error={errorOf("expression")}
          ff="monospace"
        />
      )}
      {apiError && (
        <Text c="red" size="sm" role="alert">
          {apiError}
        </Text>
      )}
      <NextRuns draft={value} />
    </Stack>
  );
}
