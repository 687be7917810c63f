import { Badge, Button, Group, Stack, Text, Title } from "@mantine/core";
import { ListTable } from "../../../components/list-table";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useRedeliver, useWebhookDeliveries, type WebhookDelivery } from "../api/webhook-queries";

const STATUS_COLOR: Record<WebhookDelivery["status"], string> = { PENDING: "blue.9", SUCCEEDED: "teal.9", FAILED: "red.9" };

/** An endpoint's deliveries, newest first, a page at a time: event, outcome, attempts and the answer; a finished one can be sent again. */
export function WebhookDeliveries({ endpointId, headingId }: { endpointId: string; headingId: string }) {
  const { t, dateTime } = useI18n();
  const w = t.settings.webhooks;
  const deliveries = useWebhookDeliveries(endpointId);
  const redeliver = useRedeliver();
  const eventName = (event: string) => (event in w.eventNames ? w.eventNames[event as keyof typeof w.eventNames] : event);
  return (
    <Stack gap="xs">
      <Title order={4} size="h5" id={headingId}>
        {w.deliveries}
      </Title>
      <QueryState query={deliveries}>
        {(items) => (
          <ListTable
            items={items}
            rowKey={(d) => d.id}
            empty={w.noDeliveries}
            minWidth={640}
            columns={[
              { header: w.event, cell: (d) => eventName(d.event_type) },
              {
                header: w.status,
                cell: (d) => (
                  <Badge color={STATUS_COLOR[d.status]} variant="outline" style={{ minWidth: "max-content" }}>
                    {w.statuses[d.status]}
                  </Badge>
                ),
              },
              { header: w.attempts, cell: (d) => d.attempts },
              {
                header: w.response,
                cell: (d) => (
                  <Text size="sm" style={{ wordBreak: "break-word" }}>
                    {d.response_status ?? ""} {d.error ?? ""}
                  </Text>
                ),
              },
              { header: w.lastAttempt, cell: (d) => dateTime(d.last_attempt_at ?? d.created_at) },
              {
                header: w.redeliver,
                hideHeader: true,
                cell: (d) =>
                  d.status !== "PENDING" && (
                    <Button
                      size="xs"
                      variant="light"
                      loading={redeliver.isPending && redeliver.variables?.deliveryId === d.id}
                      onClick={() => redeliver.mutate({ endpointId, deliveryId: d.id })}
                    >
                      {w.redeliver}
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </QueryState>
      {deliveries.hasNextPage && (
        <Group>
          <Button size="xs" variant="default" loading={deliveries.isFetchingNextPage} onClick={() => deliveries.fetchNextPage()}>
            {w.loadMore}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
