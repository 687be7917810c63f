import { Card, Select, Stack, Tabs, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useMemo } from "react";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { meQuery } from "../../../lib/me";
import { isSettingsTab, type SettingsTab } from "../search-params";
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
  const tabs: { value: SettingsTab; label: string }[] = [
    { value: "account", label: s.tabAccount },
    { value: "processing", label: s.tabProcessing },
    { value: "notifications", label: s.tabNotifications },
    { value: "webhooks", label: s.tabWebhooks },
  ];
  const current = tab ?? "account";

  return (
    <>
      <PageTitle title={s.title} />
      <Tabs value={current} onChange={(value) => value && isSettingsTab(value) && void navigate({ search: { tab: value === "account" ? undefined : value } })} keepMounted={false}>
        <Tabs.List aria-label={s.tabs} mb="md">
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
            {item.value === "account" && <AccountTab />}
            {item.value === "processing" && <ProcessingDefaults />}
            {item.value === "notifications" && <NotificationPreferences />}
            {item.value === "webhooks" && <WebhooksPanel />}
          </Tabs.Panel>
        ))}
      </Tabs>
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
