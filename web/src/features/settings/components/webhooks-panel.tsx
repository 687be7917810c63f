import { Stack, Text } from "@mantine/core";
import { useState } from "react";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useWebhookEndpoints } from "../api/webhook-queries";
import { SecretReveal } from "./secret-reveal";
import { WebhookCreateForm } from "./webhook-create-form";
import { WebhookEndpointCard } from "./webhook-endpoint-card";

/** Outbound webhooks: add an endpoint, see each one's state and delivery log. A new secret is shown once, here. */
export function WebhooksPanel() {
  const { t } = useI18n();
  const w = t.settings.webhooks;
  const endpoints = useWebhookEndpoints();
  // Held only in memory until dismissed: the API never shows it again.
  const [secret, setSecret] = useState<{ secret: string; url: string } | null>(null);
  const reveal = (value: string, url: string) => setSecret({ secret: value, url });
  return (
    <Stack gap="md">
      <Text c="dimmed" maw={640}>
        {w.intro}
      </Text>
      {secret && <SecretReveal secret={secret.secret} url={secret.url} onDone={() => setSecret(null)} />}
      <WebhookCreateForm onCreated={reveal} />
      <QueryState query={endpoints}>
        {(items) =>
          items.length === 0 ? (
            <Text c="dimmed">{w.none}</Text>
          ) : (
            <Stack gap="md">
              {items.map((endpoint) => (
                <WebhookEndpointCard key={endpoint.id} endpoint={endpoint} onSecret={reveal} />
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
