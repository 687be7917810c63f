import { Anchor, Button, Group } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import type { components } from "../../../api/schema";
import { ActiveBadge, ListTable } from "../../../components/list-table";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { type Preset, useDeletePreset } from "../api/presets-queries";
import { ConfirmDelete } from "./confirm-delete";

type Credential = components["schemas"]["Credential"];

/** The presets with their account and state; each row links to its editor and can be deleted (after a confirmation). */
export function PresetsTable({ presets, credentials }: { presets: Preset[]; credentials: Credential[] }) {
  const { t, dateTime } = useI18n();
  const remove = useDeletePreset();
  const [confirming, setConfirming] = useState<Preset | null>(null);
  const accountOf = (p: Preset) => {
    if (p.credential_id === null) return t.presets.noCredential;
    const credential = credentials.find((c) => c.id === p.credential_id);
    return credential ? (credential.account_name ?? credential.hint) : "…";
  };

  const confirm = () => {
    if (!confirming) return;
    remove.mutate(confirming.id, {
      onSuccess: () => {
        setConfirming(null);
        notifications.show({ color: "green", message: t.presets.deleted });
      },
      onError: (error) => notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }),
    });
  };

  return (
    <>
      <ListTable
        items={presets}
        rowKey={(p) => p.id}
        empty={t.presets.empty}
        minWidth={640}
        columns={[
          {
            header: t.presets.name,
            cell: (p) => (
              <Anchor renderRoot={(props) => <Link {...props} to="/presets/$presetId" params={{ presetId: String(p.id) }} />} aria-label={t.presets.editLabel(p.name)}>
                {p.name}
              </Anchor>
            ),
          },
          { header: t.presets.platform, cell: (p) => t.presets.platforms[p.platform] },
          { header: t.presets.credential, cell: accountOf },
          { header: t.presets.status, cell: (p) => <ActiveBadge active={p.is_active} on={t.presets.active} off={t.presets.inactive} /> },
          { header: t.presets.lastUsed, cell: (p) => dateTime(p.last_used_at) },
          {
            header: t.presets.actions,
            hideHeader: true,
            cell: (p) => (
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" variant="light" color="red.9" onClick={() => setConfirming(p)} aria-label={t.presets.deleteLabel(p.name)}>
                  {t.presets.delete}
                </Button>
              </Group>
            ),
          },
        ]}
      />
      <ConfirmDelete
        opened={confirming !== null}
        title={t.presets.deleteTitle}
        text={t.presets.deleteText(confirming?.name ?? "")}
        pending={remove.isPending}
        onConfirm={confirm}
        onClose={() => setConfirming(null)}
      />
    </>
  );
}
