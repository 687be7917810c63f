import { Anchor, Badge, Group, Pagination, Select, Stack, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState } from "react";
import { ListTable } from "../../../components/list-table";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useAdminUsers, useQuotaStats } from "../api/admin-queries";

const route = getRouteApi("/app/admin");

/** Every user with plan, recordings and state; search by e-mail and filter by plan (both in the URL). */
export function UsersPanel() {
  const { t, number, dateTime } = useI18n();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const page = search.page ?? 1;
  const users = useAdminUsers({ search: search.q, plan: search.plan, page });
  const plans = useQuotaStats();
  const [typed, setTyped] = useState(search.q ?? "");
  const applySearch = useDebouncedCallback((q: string) => void navigate({ search: (prev) => ({ ...prev, q: q.trim() || undefined, page: undefined }) }), 300);

  return (
    <Stack gap="md">
      <Group align="flex-end" wrap="wrap">
        <TextInput
          type="search"
          label={t.admin.search}
          value={typed}
          onChange={(e) => {
            setTyped(e.currentTarget.value);
            applySearch(e.currentTarget.value);
          }}
          w={{ base: "100%", xs: 280 }}
        />
        <Select
          label={t.admin.planFilter}
          placeholder={t.admin.anyPlan}
          data={(plans.data?.plans ?? []).map((p) => p.plan_name)}
          value={search.plan ?? null}
          clearable
          onChange={(plan) => void navigate({ search: (prev) => ({ ...prev, plan: plan ?? undefined, page: undefined }) })}
          w={{ base: "100%", xs: 200 }}
        />
      </Group>
      <QueryState query={users}>
        {(data) => (
          <>
            <ListTable
              items={data.users}
              rowKey={(u) => u.user_id}
              empty={t.admin.noUsers}
              minWidth={640}
              columns={[
                {
                  header: t.admin.email,
                  cell: (u) => (
                    <Anchor renderRoot={(props) => <Link {...props} to="/admin/users/$userId" params={{ userId: u.user_id }} />} aria-label={t.admin.open(u.email)}>
                      {u.email}
                    </Anchor>
                  ),
                },
                { header: t.admin.role, cell: (u) => u.role },
                { header: t.admin.plan, cell: (u) => u.plan_name ?? "—" },
                { header: t.admin.recordings, cell: (u) => number(u.recordings) },
                { header: t.admin.active, cell: (u) => (
                    <Badge color={u.is_active ? "teal.9" : "red.9"} variant="outline">
                      {u.is_active ? t.admin.yes : t.admin.deactivated}
                    </Badge>
                  ) },
                { header: t.admin.created, cell: (u) => dateTime(u.created_at) },
              ]}
            />
            {data.total_count > data.page_size && (
              <Group justify="center">
                <Pagination
                  total={Math.ceil(data.total_count / data.page_size)}
                  value={page}
                  onChange={(next) => void navigate({ search: (prev) => ({ ...prev, page: next > 1 ? next : undefined }) })}
                />
              </Group>
            )}
          </>
        )}
      </QueryState>
    </Stack>
  );
}
