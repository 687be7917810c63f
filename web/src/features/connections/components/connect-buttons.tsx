import { Button, Card, Group, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useStartOAuth, type OAuthPlatform } from "../api/credential-mutations";

const OAUTH: readonly OAuthPlatform[] = ["zoom", "youtube", "vk", "yandex_disk"];

/** "Connect …" for each OAuth provider: the API gives the provider's URL and the browser goes there. */
export function ConnectButtons() {
  const { t } = useI18n();
  const start = useStartOAuth();
  const connect = (platform: OAuthPlatform) =>
    start.mutate(platform, {
      onError: (error) => notifications.show({ closeButtonProps: { "aria-label": t.connections.dismiss }, color: "red", title: t.connections.oauthFailed(t.connections.platforms[platform]), message: error instanceof ApiError ? error.message : t.app.genericError }),
    });
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        {t.connections.connectTitle}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t.connections.connectIntro}
      </Text>
      <Group gap="sm">
        {OAUTH.map((platform) => (
          <Button key={platform} variant="default" loading={start.isPending && start.variables === platform} onClick={() => connect(platform)}>
            {t.connections.connect(t.connections.platforms[platform])}
          </Button>
        ))}
      </Group>
    </Card>
  );
}
