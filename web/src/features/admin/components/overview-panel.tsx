import { Card, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { ListTable } from "../../../components/list-table";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useOverview, useQuotaStats } from "../api/admin-queries";

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz="xl" fw={700}>
        {value}
      </Text>
    </Card>
  );
}

/** Platform totals and this month's usage per plan. */
export function OverviewPanel() {
  const { t, number } = useI18n();
  const overview = useOverview();
  const quotas = useQuotaStats();
  return (
    <Stack gap="lg">
      <QueryState query={overview}>
        {(o) => (
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
              <Stat label={t.admin.users} value={number(o.total_users)} />
              <Stat label={t.admin.activeUsers} value={number(o.active_users)} />
              <Stat label={t.admin.recordings} value={number(o.total_recordings)} />
              <Stat label={t.admin.activeShares} value={number(o.active_shares)} />
            </SimpleGrid>
            <Title order={3} size="h4">
              {t.admin.usersByPlan}
            </Title>
            <ListTable
              items={Object.entries(o.users_by_plan)}
              rowKey={([plan]) => plan}
              minWidth={280}
              columns={[
                { header: t.admin.plan, cell: ([plan]) => plan },
                { header: t.admin.users, cell: ([, count]) => number(count) },
              ]}
            />
          </Stack>
        )}
      </QueryState>
      <QueryState query={quotas}>
        {(q) => (
          <Stack gap="sm">
            <Title order={3} size="h4">
              {t.admin.quotaTitle(`${q.period.slice(0, 4)}-${q.period.slice(4)}`)}
            </Title>
            <ListTable
              items={q.plans}
              rowKey={(p) => p.plan_name}
              minWidth={560}
              columns={[
                { header: t.admin.plan, cell: (p) => p.plan_name },
                { header: t.admin.users, cell: (p) => number(p.total_users) },
                { header: t.admin.recordings, cell: (p) => number(p.total_recordings) },
                { header: t.admin.storageGb, cell: (p) => number(p.total_storage_gb) },
                { header: t.admin.transcriptionMinutes, cell: (p) => number(p.total_transcription_minutes) },
              ]}
            />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
