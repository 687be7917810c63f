import { Alert, Button, Code, CopyButton, Group, Stack, Text } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";

/** A signing secret, shown this once with a copy button; gone when dismissed. */
export function SecretReveal({ secret, url, onDone }: { secret: string; url: string; onDone: () => void }) {
  const { t } = useI18n();
  const w = t.settings.webhooks;
  return (
    <Alert color="yellow" title={`${w.secretTitle}: ${url}`} role="status" styles={{ title: { color: "var(--mantine-color-text)" } }}>
      <Stack gap="xs">
        <Text size="sm">{w.secretText}</Text>
        <Code block style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
          {secret}
        </Code>
        <Group>
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy}>
                {copied ? w.copied : w.copy}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={onDone}>
            {w.done}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
