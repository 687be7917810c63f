import { Badge, Button, Card, Title } from "@mantine/core";
import { ListTable } from "../../../components/list-table";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useRevokeSession, useSessions } from "../api/settings-queries";

/** Where the account is signed in; any other session can be ended. */
export function SessionsPanel() {
  const { t, dateTime } = useI18n();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  return (
    <Card withBorder component="section" aria-labelledby="sessions-heading">
      <Title order={3} size="h4" mb="sm" id="sessions-heading">
        {t.settings.sessions}
      </Title>
      <QueryState query={sessions}>
        {(data) => (
          <ListTable
            items={data.items}
            rowKey={(s) => s.id}
            minWidth={520}
            striped={false}
            columns={[
              {
                header: t.settings.device,
                cell: (s) => (
                  <>
                    {s.user_agent ?? t.settings.unknownDevice}{" "}
                    {s.current && (
                      <Badge variant="outline" color="teal.9">
                        {t.settings.current}
                      </Badge>
                    )}
                  </>
                ),
              },
              { header: t.settings.lastUsed, cell: (s) => dateTime(s.last_used_at) },
              { header: t.settings.expires, cell: (s) => dateTime(s.expires_at) },
              {
                header: t.settings.revoke,
                hideHeader: true,
                cell: (s) =>
                  !s.current && (
                    <Button size="xs" variant="light" color="red.9" loading={revoke.isPending && revoke.variables === s.id} onClick={() => revoke.mutate(s.id)}>
                      {t.settings.revoke}
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </QueryState>
    </Card>
  );
}
