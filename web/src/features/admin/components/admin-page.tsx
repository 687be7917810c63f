import { Card, Group, Pagination, SimpleGrid, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useAdminUsers, useOverview } from "../api/admin-queries";

export function AdminPage() {
  const { t, number, dateTime } = useI18n();
  const overview = useOverview();
  const [page, setPage] = useState(1);
  const users = useAdminUsers(page);
  return (
    <>
      <PageTitle title={t.admin.title} />
      <Title order={2} size="h3" mb="sm">
        {t.admin.overview}
      </Title>
      <QueryState query={overview}>
        {(o) => (
          <SimpleGrid cols={{ base: 1, xs: 3 }} mb="lg">
            {[
              [t.admin.users, o.total_users],
              [t.admin.active, o.active_users],
              [t.nav.recordings, o.total_recordings],
            ].map(([label, value]) => (
              <Card withBorder key={String(label)}>
                <Text size="sm" c="dimmed">
                  {label}
                </Text>
                <Text fz="xl" fw={700}>
                  {number(Number(value))}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
        )}
      </QueryState>
      <Title order={2} size="h3" mb="sm">
        {t.admin.users}
      </Title>
      <QueryState query={users}>
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={560}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t.admin.email}</Table.Th>
                    <Table.Th>{t.admin.role}</Table.Th>
                    <Table.Th>{t.admin.plan}</Table.Th>
                    <Table.Th>{t.nav.recordings}</Table.Th>
                    <Table.Th>{t.admin.active}</Table.Th>
                    <Table.Th>{t.detail.created}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.users.map((u) => (
                    <Table.Tr key={u.user_id}>
                      <Table.Td>{u.email}</Table.Td>
                      <Table.Td>{u.role}</Table.Td>
                      <Table.Td>{u.plan_name ?? t.detail.none}</Table.Td>
                      <Table.Td>{number(u.recordings)}</Table.Td>
                      <Table.Td>{u.is_active ? t.admin.yes : t.admin.no}</Table.Td>
                      <Table.Td>{dateTime(u.created_at)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {data.total_count > data.page_size && (
              <Group justify="center" mt="md">
                <Pagination total={Math.ceil(data.total_count / data.page_size)} value={page} onChange={setPage} />
              </Group>
            )}
          </>
        )}
      </QueryState>
    </>
  );
}
