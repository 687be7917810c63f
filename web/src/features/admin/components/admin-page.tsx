import { getRouteApi } from "@tanstack/react-router";
import { type PageTab, PageTabs } from "../../../components/page-tabs";
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
  const tabs: PageTab<AdminTab>[] = [
    { value: "users", label: t.admin.tabUsers, content: <UsersPanel /> },
    { value: "overview", label: t.admin.tabOverview, content: <OverviewPanel /> },
    { value: "audit", label: t.admin.tabAudit, content: <AuditLogPanel /> },
  ];
  return (
    <>
      <PageTitle title={t.admin.title} />
      <PageTabs label={t.admin.tabs} tabs={tabs} current={tab ?? "users"} onChange={(value) => void navigate({ search: { tab: value === "users" ? undefined : value } })} />
    </>
  );
}
