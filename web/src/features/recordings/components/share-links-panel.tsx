import { Badge, Button, Checkbox, CopyButton, Group, Modal, PasswordInput, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState, type FormEvent } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError, fieldErrors } from "../../../lib/api-error";
import { useCreateShare, useRevokeShare, useShares, type Share } from "../api/shares-queries";
import { QueryState } from "../../../components/query-state";

/** The "dot" badge: body-coloured text (4.5:1 whatever the colour) with the status colour in its dot. */
const STATUS_COLORS: Record<Share["status"], string> = { active: "green", expired: "gray", revoked: "red" };

/** The dashboard's public page of a link (the API's own URL answers JSON). */
export const publicShareUrl = (token: string) => `${window.location.origin}/s/${encodeURIComponent(token)}`;

/** Share links of one recording: make one (shown once), see views, copy, revoke. */
export function ShareLinksPanel({ recordingId }: { recordingId: number }) {
  const { t } = useI18n();
  const shares = useShares(recordingId);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {t.shares.title}
      </Title>
      <Text size="sm" c="dimmed">
        {t.shares.intro}
      </Text>
      <CreateShareForm recordingId={recordingId} onCreated={(token) => setCreated(publicShareUrl(token))} />
      {created && <CreatedLink url={created} />}
      <QueryState query={shares}>{(data) => <SharesTable recordingId={recordingId} shares={data.items} />}</QueryState>
    </Stack>
  );
}

function CreateShareForm({ recordingId, onCreated }: { recordingId: number; onCreated: (token: string) => void }) {
  const { t } = useI18n();
  const create = useCreateShare(recordingId);
  const [expiresAt, setExpiresAt] = useState("");
  const [allowDownload, setAllowDownload] = useState(false);
  const [password, setPassword] = useState("");
  const errors = fieldErrors(create.error);
  const passwordTooShort = password.length > 0 && password.length < 4;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (passwordTooShort) return;
    const expires = expiresAt ? new Date(expiresAt) : null;
    create.mutate(
      {
        allow_download: allowDownload,
        ...(expires && !Number.isNaN(expires.getTime()) ? { expires_at: expires.toISOString() } : {}),
        ...(password ? { password } : {}),
      },
      {
        onSuccess: (share) => {
          onCreated(share.token);
          setPassword("");
          setExpiresAt("");
          setAllowDownload(false);
        },
        onError: (error) => {
          if (Object.keys(fieldErrors(error)).length === 0) notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError });
        },
      },
    );
  };

  return (
    <form onSubmit={submit} aria-label={t.shares.createForm}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          type="datetime-local"
          label={t.shares.expiresAt}
          description={t.shares.expiresHint}
          value={expiresAt}
          onChange={(e) => setExpiresAt(e.currentTarget.value)}
          error={errors.expires_at}
        />
        <PasswordInput
          label={t.shares.password}
          description={t.shares.passwordHint}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={passwordTooShort ? t.shares.passwordTooShort : errors.password}
          autoComplete="new-password"
        />
        <Checkbox label={t.shares.allowDownload} checked={allowDownload} onChange={(e) => setAllowDownload(e.currentTarget.checked)} mb={8} />
        <Button type="submit" loading={create.isPending}>
          {t.shares.create}
        </Button>
      </Group>
    </form>
  );
}

function CreatedLink({ url }: { url: string }) {
  const { t } = useI18n();
  return (
    <Stack gap={4} p="sm" bg="var(--mantine-color-default-hover)" style={{ borderRadius: "var(--mantine-radius-sm)" }}>
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <TextInput label={t.shares.newLink} value={url} readOnly style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Button onClick={copy} miw={140}>
              {copied ? t.shares.copied : t.shares.copy}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="xs" c="dimmed">
        {t.shares.shownOnce}
      </Text>
    </Stack>
  );
}

function SharesTable({ recordingId, shares }: { recordingId: number; shares: Share[] }) {
  const { t, dateTime, number } = useI18n();
  const revoke = useRevokeShare(recordingId);
  const [confirming, setConfirming] = useState<Share | null>(null);
  if (shares.length === 0) return <Text c="dimmed">{t.shares.none}</Text>;

  const confirm = () => {
    if (!confirming) return;
    revoke.mutate(confirming.id, {
      onSuccess: () => {
        setConfirming(null);
        notifications.show({ color: "green", message: t.shares.revoked });
      },
      onError: (error) => notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }),
    });
  };

  return (
    <>
      <Table.ScrollContainer minWidth={640}>
        <Table fz="sm" aria-label={t.shares.title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t.shares.created}</Table.Th>
              <Table.Th>{t.shares.status}</Table.Th>
              <Table.Th>{t.shares.expires}</Table.Th>
              <Table.Th>{t.shares.views}</Table.Th>
              <Table.Th>{t.shares.lastView}</Table.Th>
              <Table.Th>{t.shares.options}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t.shares.actions}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shares.map((share) => (
              <Table.Tr key={share.id}>
                <Table.Td>{dateTime(share.created_at)}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLORS[share.status]} variant="dot">
                    {t.shares.statuses[share.status]}
                  </Badge>
                </Table.Td>
                <Table.Td>{share.expires_at ? dateTime(share.expires_at) : t.shares.never}</Table.Td>
                <Table.Td>{number(share.view_count)}</Table.Td>
                <Table.Td>{share.last_viewed_at ? dateTime(share.last_viewed_at) : t.shares.notViewed}</Table.Td>
                <Table.Td>{[share.password_protected && t.shares.withPassword, share.allow_download && t.shares.withDownload].filter(Boolean).join(", ") || t.detail.none}</Table.Td>
                <Table.Td>
                  {share.status === "active" && (
                    <Button size="xs" variant="light" color="red" onClick={() => setConfirming(share)} aria-label={t.shares.revokeLabel(dateTime(share.created_at))}>
                      {t.shares.revoke}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={t.shares.confirmTitle} centered closeButtonProps={{ "aria-label": t.shares.close }}>
        <Stack>
          <Text size="sm">{t.shares.confirmText}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>
              {t.shares.keep}
            </Button>
            <Button color="red.9" loading={revoke.isPending} onClick={confirm}>
              {t.shares.confirmRevoke}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
