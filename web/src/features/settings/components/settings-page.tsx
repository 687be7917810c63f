import { Badge, Button, Card, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { ListTable } from "../../../components/list-table";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { meQuery } from "../../../lib/me";
import { useRevokeSession, useSessions } from "../api/settings-queries";

export function SettingsPage() {
  const { t, dateTime, timeZone, setTimeZone } = useI18n();
  const me = useQuery(meQuery);
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const zones = useMemo(() => Intl.supportedValuesOf("timeZone"), []);

  return (
    <>
      <PageTitle title={t.settings.title} />
      <Stack gap="lg">
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">
            {t.settings.profile}
          </Title>
          <QueryState query={me}>
            {(user) => (
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                <Text size="sm">
                  {t.settings.email}: <strong>{user.email}</strong>
                </Text>
                <Text size="sm">
                  {t.settings.fullName}: <strong>{user.full_name ?? t.detail.none}</strong>
                </Text>
                <Text size="sm">
                  {t.settings.role}: <strong>{user.role}</strong>
                </Text>
                <Text size="sm">
                  {t.settings.memberSince}: <strong>{dateTime(user.created_at)}</strong>
                </Text>
              </SimpleGrid>
            )}
          </QueryState>
        </Card>
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">
            {t.settings.preferences}
          </Title>
          <Select label={t.app.timeZone} data={zones} value={timeZone} onChange={(v) => v && setTimeZone(v)} searchable maw={360} allowDeselect={false} />
        </Card>
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">
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
                          <Badge variant="outline" color="green">
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
                        <Button size="xs" variant="light" color="red" loading={revoke.isPending && revoke.variables === s.id} onClick={() => revoke.mutate(s.id)}>
                          {t.settings.revoke}
                        </Button>
                      ),
                  },
                ]}
              />
            )}
          </QueryState>
        </Card>
      </Stack>
    </>
  );
}
