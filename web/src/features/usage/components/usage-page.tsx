import { Card, Progress, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useQuota, useQuotaHistory } from "../api/usage-queries";
import { UsageChart } from "./usage-chart";

function Meter({ label, used, limit, format }: { label: string; used: number; limit: number | null; format: (n: number) => string }) {
  const { t } = useI18n();
  const percent = limit ? Math.min(100, (used / limit) * 100) : 0;
  return (
    <Card withBorder>
      <Text fw={600}>{label}</Text>
      <Text size="sm" c="dimmed" mb="xs">
        {limit === null ? `${format(used)} · ${t.usage.unlimited}` : t.usage.of(format(used), format(limit))}
      </Text>
      {limit !== null && <Progress value={percent} color={percent >= 90 ? "red" : "indigo"} aria-label={`${label}: ${Math.round(percent)}%`} />}
    </Card>
  );
}

export function UsagePage() {
  const { t, number, bytes, duration } = useI18n();
  const quota = useQuota();
  const history = useQuotaHistory();
  return (
    <>
      <PageTitle title={t.usage.title} />
      <QueryState query={quota}>
        {(q) => (
          <Stack gap="md">
            <Text>
              {t.usage.plan}: <strong>{q.plan ?? t.usage.unlimited}</strong> · {t.usage.period} ({q.period.slice(0, 4)}-{q.period.slice(4)})
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Meter label={t.usage.recordings} used={q.recordings.used} limit={q.recordings.limit} format={number} />
              <Meter label={t.usage.transcription} used={q.transcription_minutes.used * 60} limit={q.transcription_minutes.limit === null ? null : q.transcription_minutes.limit * 60} format={duration} />
              <Meter label={t.usage.storage} used={q.storage.used_bytes} limit={q.storage.limit_bytes} format={bytes} />
              <Meter label={t.usage.automationJobs} used={q.automation_jobs.used} limit={q.automation_jobs.limit} format={number} />
            </SimpleGrid>
          </Stack>
        )}
      </QueryState>
      <Title order={2} size="h3" mt="lg" mb="sm">
        {t.usage.history}
      </Title>
      <QueryState query={history}>
        {(h) =>
          h.items.length === 0 ? (
            <Text c="dimmed">{t.usage.noHistory}</Text>
          ) : (
            <>
              <UsageChart items={h.items} />
              <Table.ScrollContainer minWidth={400}>
                <Table captionSide="top">
                  <Table.Caption>{t.usage.tableCaption}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t.usage.month}</Table.Th>
                    <Table.Th>{t.usage.recordings}</Table.Th>
                    <Table.Th>{t.usage.transcription}</Table.Th>
                    <Table.Th>{t.usage.storage}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {h.items.map((row) => (
                    <Table.Tr key={row.period}>
                      <Table.Td>{`${row.period.slice(0, 4)}-${row.period.slice(4)}`}</Table.Td>
                      <Table.Td>{number(row.recordings_count)}</Table.Td>
                      <Table.Td>{duration(row.transcription_seconds)}</Table.Td>
                      <Table.Td>{bytes(row.storage_bytes)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </>
          )
        }
      </QueryState>
    </>
  );
}
