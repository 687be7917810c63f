import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { ListTable } from "../../../components/list-table";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useCredentials, type Credential } from "../api/connections-queries";
import { useDeleteCredential, useTestCredential } from "../api/credential-mutations";
import { ConfirmDelete } from "./confirm-delete";
import { CredentialForm } from "./credential-form";

type TestOutcome = { id: number; label: string } & ({ ok: true; account: string | null } | { ok: false; reason: string });

/** Stored credentials (masked hints only), a form for key-based ones, Test and Delete. */
export function CredentialsPanel() {
  const { t, dateTime } = useI18n();
  const credentials = useCredentials();
  const test = useTestCredential();
  const remove = useDeleteCredential();
  const [adding, setAdding] = useState(false);
  const [outcome, setOutcome] = useState<TestOutcome | null>(null);
  const [deleting, setDeleting] = useState<Credential | null>(null);

  const labelOf = (c: Credential) => `${t.connections.platforms[c.platform]}${c.account_name ? ` (${c.account_name})` : ""}`;
  const runTest = (c: Credential) =>
    test.mutate(c.id, {
      onSuccess: (r) => setOutcome(r.ok ? { id: c.id, label: labelOf(c), ok: true, account: r.account } : { id: c.id, label: labelOf(c), ok: false, reason: r.reason ?? t.app.genericError }),
      onError: (error) => setOutcome({ id: c.id, label: labelOf(c), ok: false, reason: error instanceof ApiError ? error.message : t.app.genericError }),
    });
  const confirmDelete = () => {
    if (!deleting) return;
    remove.mutate(deleting.id, {
      onSuccess: () => {
        if (outcome?.id === deleting.id) setOutcome(null);
        setDeleting(null);
        notifications.show({ closeButtonProps: { "aria-label": t.connections.dismiss }, color: "green", message: t.connections.credentialDeleted });
      },
      onError: (error) => notifications.show({ closeButtonProps: { "aria-label": t.connections.dismiss }, color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }),
    });
  };

  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3">
          {t.connections.credentials}
        </Title>
        {!adding && <Button onClick={() => setAdding(true)}>{t.connections.addCredential}</Button>}
      </Group>
      <Stack gap="md">
        {adding && <CredentialForm onDone={() => setAdding(false)} />}
        <QueryState query={credentials}>
          {(items) => (
            <ListTable
              items={items}
              rowKey={(c) => c.id}
              empty={t.connections.noCredentials}
              minWidth={720}
              striped={false}
              columns={[
                { header: t.connections.platform, cell: (c) => t.connections.platforms[c.platform] },
                { header: t.connections.account, cell: (c) => c.account_name ?? t.connections.noAccountName },
                { header: t.connections.secret, cell: (c) => <Text ff="monospace" size="sm">{c.hint}</Text> },
                {
                  header: t.connections.status,
                  cell: (c) => (
                    <Stack gap={2}>
                      <Badge color={c.needs_reauth ? "red" : c.is_active ? "green" : "gray"} variant="dot">
                        {c.needs_reauth ? t.connections.needsReconnect : c.is_active ? t.connections.ok : t.connections.inactive}
                      </Badge>
                      {c.status_reason && (
                        <Text size="xs" c="dimmed">
                          {c.status_reason}
                        </Text>
                      )}
                    </Stack>
                  ),
                },
                { header: t.connections.lastUsed, cell: (c) => dateTime(c.last_used_at) },
                {
                  header: t.connections.actions,
                  hideHeader: true,
                  cell: (c) => (
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" loading={test.isPending && test.variables === c.id} onClick={() => runTest(c)} aria-label={t.connections.testLabel(labelOf(c))}>
                        {t.connections.test}
                      </Button>
                      <Button size="xs" variant="outline" color="red.9" onClick={() => setDeleting(c)} aria-label={t.connections.deleteLabel(labelOf(c))}>
                        {t.connections.delete}
                      </Button>
                    </Group>
                  ),
                },
              ]}
            />
          )}
        </QueryState>
        {outcome && <TestResult outcome={outcome} onClose={() => setOutcome(null)} />}
      </Stack>
      <ConfirmDelete
        opened={deleting !== null}
        title={t.connections.deleteCredentialTitle}
        text={deleting ? t.connections.deleteCredentialText(labelOf(deleting)) : ""}
        pending={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={confirmDelete}
      />
    </Card>
  );
}

function TestResult({ outcome, onClose }: { outcome: TestOutcome; onClose: () => void }) {
  const { t } = useI18n();
  return outcome.ok ? (
    <Alert color="green" styles={{ title: { color: "var(--mantine-color-text)" } }} role="status" title={t.connections.testPassed(outcome.label)} withCloseButton onClose={onClose} closeButtonLabel={t.connections.dismiss}>
      {outcome.account ? t.connections.testAccount(outcome.account) : t.connections.testPassedText}
    </Alert>
  ) : (
    <Alert color="red" role="alert" title={t.connections.testFailed(outcome.label)} withCloseButton onClose={onClose} closeButtonLabel={t.connections.dismiss}>
      {outcome.reason}
    </Alert>
  );
}
