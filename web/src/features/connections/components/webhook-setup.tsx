import { Button, CopyButton, Group, List, Stack, Text, TextInput, Title } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";

/** The source's Zoom webhook URL with a copy button, and how to set it up in the Zoom app. */
export function WebhookSetup({ url, sourceName }: { url: string; sourceName: string }) {
  const { t } = useI18n();
  return (
    <Stack gap="xs">
      <Title order={4} size="h5">
        {t.connections.webhookTitle}
      </Title>
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <TextInput label={t.connections.webhookUrl} value={url} readOnly style={{ flex: 1, minWidth: 0 }} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={url} timeout={3000}>
          {({ copied, copy }) => (
            <Button onClick={copy} miw={110} aria-label={copied ? t.connections.copied : t.connections.copyWebhook(sourceName)}>
              {copied ? t.connections.copied : t.connections.copy}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="sm">{t.connections.webhookStepsIntro}</Text>
      <List type="ordered" size="sm" spacing={4}>
        {t.connections.webhookSteps.map((step) => (
          <List.Item key={step}>{step}</List.Item>
        ))}
      </List>
    </Stack>
  );
}
