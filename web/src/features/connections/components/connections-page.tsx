import { Badge, Card, Stack, Title } from "@mantine/core";
import { ListTable } from "../../../components/list-table";
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
            {(items) => (
              <ListTable
                items={items}
                rowKey={(c) => c.id}
                empty={t.connections.noCredentials}
                minWidth={420}
                striped={false}
                columns={[
                  { header: t.connections.platform, cell: (c) => c.platform },
                  { header: t.connections.account, cell: (c) => c.account_name ?? c.hint },
                  {
                    header: t.detail.status,
                    cell: (c) => (
                      <Badge color={c.needs_reauth ? "red" : "green"} variant="outline">
                        {c.needs_reauth ? t.connections.needsReconnect : t.connections.ok}
                      </Badge>
                    ),
                  },
                ]}
              />
            )}
          </QueryState>
        </Card>
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">
            {t.connections.sources}
          </Title>
          <QueryState query={sources}>
            {(items) => (
              <ListTable
                items={items}
                rowKey={(s) => s.id}
                empty={t.connections.noSources}
                minWidth={420}
                striped={false}
                columns={[
                  { header: t.connections.name, cell: (s) => s.name },
                  { header: t.connections.type, cell: (s) => s.source_type },
                  { header: t.connections.lastSync, cell: (s) => dateTime(s.last_sync_at) },
                ]}
              />
            )}
          </QueryState>
        </Card>
      </Stack>
    </>
  );
}
