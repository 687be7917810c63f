import { Badge, Card, Stack, Table, Text, Title } from "@mantine/core";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useCredentials, useSources } from "../api/connections-queries";

export function ConnectionsPage() {
  const { t, dateTime } = useI18n();
  const credentials = useCredentials();
  const sources = useSources();
  return (
    <>
      <PageTitle title={t.connections.title} />
      <Stack gap="lg">
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">
            {t.connections.credentials}
          </Title>
          <QueryState query={credentials}>
            {(items) =>
              items.length === 0 ? (
                <Text c="dimmed">{t.connections.noCredentials}</Text>
              ) : (
                <Table.ScrollContainer minWidth={420}>
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t.connections.platform}</Table.Th>
                        <Table.Th>{t.connections.account}</Table.Th>
                        <Table.Th>{t.detail.status}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {items.map((c) => (
                        <Table.Tr key={c.id}>
                          <Table.Td>{c.platform}</Table.Td>
                          <Table.Td>{c.account_name ?? c.hint}</Table.Td>
                          <Table.Td>
                            <Badge color={c.needs_reauth ? "red" : "green"} variant="outline">
                              {c.needs_reauth ? t.connections.needsReconnect : t.connections.ok}
                            </Badge>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )
            }
          </QueryState>
        </Card>
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">
            {t.connections.sources}
          </Title>
          <QueryState query={sources}>
            {(items) =>
              items.length === 0 ? (
                <Text c="dimmed">{t.connections.noSources}</Text>
              ) : (
                <Table.ScrollContainer minWidth={420}>
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t.connections.name}</Table.Th>
                        <Table.Th>{t.connections.type}</Table.Th>
                        <Table.Th>{t.connections.lastSync}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {items.map((s) => (
                        <Table.Tr key={s.id}>
                          <Table.Td>{s.name}</Table.Td>
                          <Table.Td>{s.source_type}</Table.Td>
                          <Table.Td>{dateTime(s.last_sync_at)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )
            }
          </QueryState>
        </Card>
      </Stack>
    </>
  );
}
