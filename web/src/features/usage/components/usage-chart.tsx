import "@mantine/charts/styles.css";
import { BarChart } from "@mantine/charts";
import { SimpleGrid, Stack, Text } from "@mantine/core";
import type { components } from "../../../api/schema";
import { useI18n } from "../../../i18n/i18n-provider";

type Month = components["schemas"]["QuotaHistory"]["items"][number];

const monthLabel = (period: string) => `${period.slice(0, 4)}-${period.slice(4)}`;

/**
 * New recordings and transcription minutes per month as bar charts, oldest month first. The
 * charts are one image to assistive technology; the table after them has the same numbers.
 */
export function UsageChart({ items }: { items: readonly Month[] }) {
  const { t, number } = useI18n();
  const data = [...items]
    .sort((a, b) => a.period.localeCompare(b.period))
    .map((m) => ({ month: monthLabel(m.period), recordings: m.recordings_count, minutes: Math.round(m.transcription_seconds / 60) }));
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} role="img" aria-label={t.usage.chartLabel} mb="md">
      <Stack gap={4}>
        <Text size="sm" fw={600} aria-hidden>
          {t.usage.recordings}
        </Text>
        <BarChart h={220} data={data} dataKey="month" series={[{ name: "recordings", label: t.usage.recordings, color: "indigo.6" }]} valueFormatter={number} />
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={600} aria-hidden>
          {t.usage.transcriptionMinutes}
        </Text>
        <BarChart h={220} data={data} dataKey="month" series={[{ name: "minutes", label: t.usage.transcriptionMinutes, color: "teal.6" }]} valueFormatter={number} />
      </Stack>
    </SimpleGrid>
  );
}
