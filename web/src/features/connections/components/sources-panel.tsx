import { Badge, Button, Card, Divider, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useCredentials, useSources, type Source } from "../api/connections-queries";
import { useDeleteSource } from "../api/source-mutations";
import { ConfirmDelete } from "./confirm-delete";
import { SourceForm } from "./source-form";
import { SyncForm } from "./sync-form";
import { WebhookSetup } from "./webhook-setup";

/** Zoom sources: create, edit, delete; each with its webhook URL and a "Sync now". */
export function SourcesPanel() {
  const { t } = useI18n();
  const sources = useSources();
  const remove = useDeleteSource();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Source | null>(null);

  const confirmDelete = () => {
    if (!deleting) return;
    remove.mutate(deleting.id, {
      onSuccess: () => {
        setDeleting(null);
        notifications.show({ closeButtonProps: { "aria-label": t.connections.dismiss }, color: "green", message: t.connections.sourceDeleted });
      },
      onError: (error) => notifications.show({ closeButtonProps: { "aria-label": t.connections.dismiss }, color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }),
    });
  };

  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3">
          {t.connections.sources}
        </Title>
        {!adding && <Button onClick={() => setAdding(true)}>{t.connections.addSource}</Button>}
      </Group>
      <Stack gap="md">
        {adding && (
          <Paper withBorder p="md">
            <SourceForm onDone={() => setAdding(false)} />
          </Paper>
        )}
        <QueryState query={sources}>
          {(items) =>
            items.length === 0 ? (
              <Text c="dimmed">{t.connections.noSources}</Text>
            ) : (
              items.map((source) => <SourceCard key={source.id} source={source} onDelete={() => setDeleting(source)} />)
            )
          }
        </QueryState>
      </Stack>
      <ConfirmDelete
        opened={deleting !== null}
        title={t.connections.deleteSourceTitle}
        text={deleting ? t.connections.deleteSourceText(deleting.name) : ""}
        pending={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={confirmDelete}
      />
    </Card>
  );
}

function SourceCard({ source, onDelete }: { source: Source; onDelete: () => void }) {
  const { t, dateTime } = useI18n();
  const credentials = useCredentials();
  const [editing, setEditing] = useState(false);
  const credential = credentials.data?.find((c) => c.id === source.credential_id);
  return (
    <Paper withBorder p="md" component="section" aria-label={source.name}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={3} size="h4">
              {source.name}
            </Title>
            <Group gap="xs">
              <Badge variant="outline">{source.source_type}</Badge>
              <Badge color={source.is_active ? "green" : "gray"} variant="dot">
                {source.is_active ? t.connections.active : t.connections.inactive}
              </Badge>
            </Group>
            {source.description && <Text size="sm">{source.description}</Text>}
            <Text size="sm" c="dimmed">
              {t.connections.credential}: {credential ? `${credential.account_name ?? t.connections.platforms[credential.platform]} ${credential.hint}` : t.connections.noCredential}
              {" · "}
              {t.connections.lastSync}: {source.last_sync_at ? dateTime(source.last_sync_at) : t.connections.never}
            </Text>
          </Stack>
          {!editing && (
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => setEditing(true)} aria-label={t.connections.editSourceNamed(source.name)}>
                {t.connections.edit}
              </Button>
              <Button size="xs" variant="outline" color="red.9" onClick={onDelete} aria-label={t.connections.deleteLabel(source.name)}>
                {t.connections.delete}
              </Button>
            </Group>
          )}
        </Group>
        {editing && <SourceForm source={source} onDone={() => setEditing(false)} />}
        {source.webhook_url && (
          <>
            <Divider />
            <WebhookSetup url={source.webhook_url} sourceName={source.name} />
          </>
        )}
        {source.source_type === "ZOOM" && (
          <>
            <Divider />
            <SyncForm sourceId={source.id} sourceName={source.name} />
          </>
        )}
      </Stack>
    </Paper>
  );
}
