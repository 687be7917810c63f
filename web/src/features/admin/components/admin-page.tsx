import { Tabs, Title } from "@mantine/core";
import { getRouteApi } from "@tanstack/react-router";
import { PageTitle } from "../../../components/page-title";
import { useI18n } from "../../../i18n/i18n-provider";
import type { AdminTab } from "../search-params";
import { AdminOnly } from "./admin-only";
import { AuditLogPanel } from "./audit-log-panel";
import { OverviewPanel } from "./overview-panel";
import { UsersPanel } from "./users-panel";

const route = getRouteApi("/app/admin");

/** Users, platform totals and the audit log, one tab each (tab and filters in the URL). */
export function AdminPage() {
  return (
    <AdminOnly>
      <AdminTabs />
    </AdminOnly>
  );
}

function AdminTabs() {
  const { t } = useI18n();
  const { tab } = route.useSearch();
  const navigate = route.useNavigate();
  const tabs: { value: AdminTab; label: string }[] = [
    { value: "users", label: t.admin.tabUsers },
    { value: "overview", label: t.admin.tabOverview },
    { value: "audit", label: t.admin.tabAudit },
  ];
  const current = tab ?? "users";
  return (
    <>
      <PageTitle title={t.admin.title} />
      <Tabs
        value={current}
        keepMounted={false}
        onChange={(value) => {
          if (value === "users" || value === "overview" || value === "audit") void navigate({ search: { tab: value === "users" ? undefined : value } });
        }}
      >
        <Tabs.List aria-label={t.admin.tabs} mb="md">
          {tabs.map((item) => (
            <Tabs.Tab key={item.value} value={item.value}>
              {item.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((item) => (
          <Tabs.Panel key={item.value} value={item.value}>
            <Title order={2} size="h3" mb="md">
              {item.label}
            </Title>
            {item.value === "users" && <UsersPanel />}
            {item.value === "overview" && <OverviewPanel />}
            {item.value === "audit" && <AuditLogPanel />}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
