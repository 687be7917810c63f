import { Anchor, AppShell, Burger, Button, Group, NavLink, ScrollArea, Text, Title, VisuallyHidden } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { useEffect } from "react";
import { useI18n } from "../i18n/i18n-provider";
import { meQuery } from "../lib/me";
import { session } from "../lib/session";
import { UnverifiedEmailBanner } from "../features/auth/components/unverified-email-banner";
import { LanguageSelect } from "./language-select";

const NAV = [
  { to: "/recordings", key: "recordings" },
  { to: "/upload", key: "upload" },
  { to: "/templates", key: "templates" },
  { to: "/presets", key: "presets" },
  { to: "/connections", key: "connections" },
  { to: "/automation", key: "automation" },
  { to: "/usage", key: "usage" },
  { to: "/settings", key: "settings" },
] as const;

/** The signed-in frame: header, navigation (a drawer behind the burger on narrow screens), page. */
export function AppLayout() {
  const { t } = useI18n();
  const [opened, { toggle, close }] = useDisclosure(false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useQuery(meQuery);

  // Signed out elsewhere (another tab, a revoked session): back to sign-in, nothing cached.
  useEffect(
    () =>
      session.subscribe(() => {
        if (session.isSignedIn()) return;
        queryClient.clear();
        void navigate({ to: "/sign-in" });
      }),
    [navigate, queryClient],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: pathname is the trigger: a navigation closes the mobile menu.
  useEffect(close, [pathname, close]);

  const signOut = () => session.signOut();

  const items = me.data?.role === "admin" ? [...NAV, { to: "/admin", key: "admin" } as const] : NAV;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <Anchor href="#main" className="skip-link">
        {t.app.skipToContent}
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t.app.toggleNavigation} aria-expanded={opened} />
            <Title order={2} size="h4">
              <Anchor component={Link} to="/recordings" c="inherit" underline="never">
                {t.app.title}
              </Anchor>
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSelect />
            {me.data && (
              <Text size="sm" visibleFrom="md" c="dimmed">
                {me.data.email}
              </Text>
            )}
            <Button variant="default" size="xs" onClick={signOut}>
              {t.app.signOut}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t.nav.main}>
        <ScrollArea>
          {items.map((item) => {
            const active = pathname === item.to || pathname.startsWith(`${item.to}/`);
            return (
              <NavLink
                key={item.to}
                component={Link}
                to={item.to}
                label={t.nav[item.key]}
                active={active}
                aria-current={active ? "page" : undefined}
              />
            );
          })}
          <NavLink href="/docs" label={t.app.apiDocs} />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <VisuallyHidden aria-live="polite">{pathname}</VisuallyHidden>
        <UnverifiedEmailBanner />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
