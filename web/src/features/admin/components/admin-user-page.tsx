import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { getRouteApi, Link } from "@tanstack/react-router";
import { ConfirmButton } from "../../../components/confirm-button";
import { ListTable } from "../../../components/list-table";
import { PageTitle } from "../../../components/page-title";
import { ErrorAlert, QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { type AdminUser, useAdminUser, useSetUserActive } from "../api/admin-queries";
import { AdminOnly } from "./admin-only";
import { SubscriptionForm } from "./subscription-form";

const route = getRouteApi("/app/admin/users/$userId");

/** One user for an administrator: account, limits now, plan editor, deactivate/reactivate. */
export function AdminUserPage() {
  return (
    <AdminOnly>
      <UserDetail />
    </AdminOnly>
  );
}

function UserDetail() {
  const { userId } = route.useParams();
  const user = useAdminUser(userId);
  return <QueryState query={user}>{(data) => <UserView user={data} />}</QueryState>;
}

function UserView({ user }: { user: AdminUser }) {
  const { t, dateTime, bytes, number } = useI18n();
  const activation = useSetUserActive();
  const limits = Object.entries(user.limits) as [keyof AdminUser["limits"], number | null][];
  return (
    <>
      <Anchor component={Link} to="/admin" size="sm">
        ← {t.admin.title}
      </Anchor>
      <PageTitle
        title={user.email}
        actions={
          user.is_active ? (
            <ConfirmButton
              key="deactivate"
              variant="light"
              label={t.admin.deactivate}
              title={t.admin.deactivateTitle}
              text={t.admin.deactivateText(user.email)}
              confirmLabel={t.admin.deactivate}
              cancelLabel={t.admin.cancel}
              pending={activation.isPending}
              onConfirm={(done) => activation.mutate({ userId: user.user_id, value: false }, { onSuccess: done })}
            />
          ) : (
            <ConfirmButton
              key="reactivate"
              color="teal.9"
              label={t.admin.reactivate}
              title={t.admin.reactivateTitle}
              text={t.admin.reactivateText(user.email)}
              confirmLabel={t.admin.reactivate}
              cancelLabel={t.admin.cancel}
              pending={activation.isPending}
              onConfirm={(done) => activation.mutate({ userId: user.user_id, value: true }, { onSuccess: done })}
            />
          )
        }
      />
      <Stack gap="lg">
        {activation.error && <ErrorAlert error={activation.error} />}
        <Card withBorder component="section" aria-labelledby="account-heading">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4" id="account-heading">
              {t.admin.account}
            </Title>
            <Badge color={user.is_active ? "teal.9" : "red.9"} variant="outline">
              {user.is_active ? t.admin.active : t.admin.deactivated}
            </Badge>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            <Text size="sm">
              {t.admin.name}: <strong>{user.full_name ?? "—"}</strong>
            </Text>
            <Text size="sm">
              {t.admin.role}: <strong>{user.role}</strong>
            </Text>
            <Text size="sm">
              {t.admin.plan}: <strong>{user.plan_name ?? "—"}</strong>
            </Text>
            <Text size="sm">
              {t.admin.created}: <strong>{dateTime(user.created_at)}</strong>
            </Text>
            <Text size="sm">
              {t.admin.lastLogin}: <strong>{dateTime(user.last_login_at)}</strong>
            </Text>
            <Text size="sm">
              {t.admin.activeRuns}: <strong>{number(user.usage.active_runs)}</strong>
            </Text>
            <Text size="sm">
              {t.admin.storageUsed}: <strong>{bytes(user.usage.storage_bytes)}</strong>
            </Text>
          </SimpleGrid>
        </Card>
        <Card withBorder component="section" aria-labelledby="limits-heading">
          <Title order={2} size="h4" mb="sm" id="limits-heading">
            {t.admin.limits}
          </Title>
          <ListTable
            items={limits}
            rowKey={([name]) => name}
            minWidth={320}
            columns={[
              { header: t.admin.limit, cell: ([name]) => t.admin.limitNames[name] },
              { header: t.admin.value, cell: ([, value]) => (value === null ? t.admin.unlimited : number(value)) },
            ]}
          />
        </Card>
        <SubscriptionForm user={user} />
      </Stack>
    </>
  );
}
