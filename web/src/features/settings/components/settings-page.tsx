import { Card, Select, Stack, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useMemo } from "react";
import { type PageTab, PageTabs } from "../../../components/page-tabs";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { meQuery } from "../../../lib/me";
import type { SettingsTab } from "../search-params";
import { NotificationPreferences } from "./notification-preferences";
import { PasswordForm } from "./password-form";
import { ProcessingDefaults } from "./processing-defaults";
import { ProfileForm } from "./profile-form";
import { SessionsPanel } from "./sessions-panel";
import { WebhooksPanel } from "./webhooks-panel";

const route = getRouteApi("/app/settings");

/** Account, processing defaults, notifications and webhooks, one tab each (the tab is in the URL). */
export function SettingsPage() {
  const { t } = useI18n();
  const { tab } = route.useSearch();
  const navigate = route.useNavigate();
  const s = t.settings;
  const tabs: PageTab<SettingsTab>[] = [
    { value: "account", label: s.tabAccount, content: <AccountTab /> },
    { value: "processing", label: s.tabProcessing, content: <ProcessingDefaults /> },
    { value: "notifications", label: s.tabNotifications, content: <NotificationPreferences /> },
    { value: "webhooks", label: s.tabWebhooks, content: <WebhooksPanel /> },
  ];

  return (
    <>
      <PageTitle title={s.title} />
      <PageTabs label={s.tabs} tabs={tabs} current={tab ?? "account"} onChange={(value) => void navigate({ search: { tab: value === "account" ? undefined : value } })} />
    </>
  );
}

function AccountTab() {
  const { t, timeZone, setTimeZone } = useI18n();
  const me = useQuery(meQuery);
  const zones = useMemo(() => Intl.supportedValuesOf("timeZone"), []);
  return (
    <Stack gap="lg">
      <QueryState query={me}>{(user) => <ProfileForm user={user} />}</QueryState>
      <PasswordForm />
      <Card withBorder component="section" aria-labelledby="display-heading">
        <Title order={3} size="h4" mb="sm" id="display-heading">
          {t.settings.preferences}
        </Title>
        <Select label={t.app.timeZone} data={zones} value={timeZone} onChange={(v) => v && setTimeZone(v)} searchable maw={360} allowDeselect={false} />
      </Card>
      <SessionsPanel />
    </Stack>
  );
}
