import { Anchor, Button, Code, Group, Select, Stack, TextInput } from "@mantine/core";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState } from "react";
import { ListTable } from "../../../components/list-table";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useAuditLog } from "../api/admin-queries";

const route = getRouteApi("/app/admin");

/** Admin actions, newest first, filtered by action and user (in the URL), paged backwards in time. */
export function AuditLogPanel() {
  const { t, dateTime } = useI18n();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  // Cursor pages: the `before` of each page shown so far (the first page has none).
  const [cursors, setCursors] = useState<number[]>([]);
  const before = cursors.at(-1);
  const audit = useAuditLog({ action: search.action, target: search.target, before });
  const [target, setTarget] = useState(search.target ?? "");
  const actions = t.admin.actions;
  const actionName = (action: string) => (action in actions ? actions[action as keyof typeof actions] : action);
  const filter = (next: { action?: string; target?: string }) => {
    setCursors([]);
    void navigate({ search: (prev) => ({ ...prev, ...next }) });
  };

  return (
    <Stack gap="md">
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t.admin.auditAction}
          placeholder={t.admin.anyAction}
          data={Object.entries(actions).map(([value, label]) => ({ value, label }))}
          value={search.action ?? null}
          clearable
          onChange={(action) => filter({ action: action ?? undefined })}
          w={{ base: "100%", xs: 240 }}
        />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            filter({ target: target.trim() || undefined });
          }}
        >
          <TextInput label={t.admin.auditTarget} value={target} onChange={(e) => setTarget(e.currentTarget.value)} onBlur={() => filter({ target: target.trim() || undefined })} maxLength={40} w={{ base: "100%", xs: 300 }} />
        </form>
      </Group>
      <QueryState query={audit}>
        {(data) => (
          <>
            <ListTable
              items={data.items}
              rowKey={(i) => i.id}
              empty={t.admin.noEntries}
              minWidth={720}
              columns={[
                { header: t.admin.when, cell: (i) => dateTime(i.created_at) },
                { header: t.admin.auditAction, cell: (i) => actionName(i.action) },
                {
                  header: t.admin.users,
                  cell: (i) =>
                    i.target_user_id && (
                      <Anchor renderRoot={(props) => <Link {...props} to="/admin/users/$userId" params={{ userId: i.target_user_id ?? "" }} />} size="sm">
                        {i.target_user_id}
                      </Anchor>
                    ),
                },
                { header: t.admin.auditActor, cell: (i) => i.actor_id ?? "—" },
                {
                  header: t.admin.auditDetails,
                  cell: (i) => i.details && <Code style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>{JSON.stringify(i.details)}</Code>,
                },
              ]}
            />
            <Group>
              {cursors.length > 0 && (
                <Button variant="default" onClick={() => setCursors([])}>
                  {t.admin.newestEntries}
                </Button>
              )}
              {data.next_before !== null && (
                <Button variant="default" onClick={() => setCursors((c) => [...c, data.next_before ?? 0])}>
                  {t.admin.olderEntries}
                </Button>
              )}
            </Group>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
