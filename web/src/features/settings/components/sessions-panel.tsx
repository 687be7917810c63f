import { Badge, Button, Card, Group, Text, Title } from "@mantine/core";
import { useState } from "react";
import { ListTable } from "../../../components/list-table";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useRevokeSession, useSessions, useSignOutEverywhere } from "../api/settings-queries";

/** Where the account is signed in; any other session can be ended. */
export function SessionsPanel() {
  const { t, dateTime } = useI18n();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const everywhere = useSignOutEverywhere();
  const [confirming, setConfirming] = useState(false);
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
      <Group mt="md" gap="sm" align="center">
        {confirming ? (
          <>
            <Text size="sm">{t.settings.signOutEverywhereConfirm}</Text>
            <Button size="xs" color="red.9" loading={everywhere.isPending} onClick={() => everywhere.mutate()}>
              {t.settings.signOutEverywhereYes}
            </Button>
            <Button size="xs" variant="default" onClick={() => setConfirming(false)}>
              {t.settings.signOutEverywhereNo}
            </Button>
          </>
        ) : (
          <Button size="xs" variant="default" onClick={() => setConfirming(true)}>
            {t.settings.signOutEverywhere}
          </Button>
        )}
      </Group>
      {everywhere.error && (
        <Text size="sm" c="red.9" role="alert" mt="xs">
          {everywhere.error instanceof ApiError ? everywhere.error.message : t.app.genericError}
        </Text>
      )}
    </Card>
  );
}
