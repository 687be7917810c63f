import { Center, Group, Loader, Pagination, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { PageTitle } from "../../../components/page-title";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { recordingsListQuery } from "../api/recordings-queries";
import type { RecordingsSearch } from "../search-params";
import { BulkActions } from "./bulk-actions";
import { RecordingsFilters } from "./recordings-filters";
import { RecordingsTable } from "./recordings-table";

const route = getRouteApi("/app/recordings");

export function RecordingsPage() {
  const { t, number } = useI18n();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const list = useQuery(recordingsListQuery(search));
  const [selected, setSelected] = useState<Set<number>>(new Set());

  const setFilters = (patch: Partial<RecordingsSearch>) => {
    setSelected(new Set());
    void navigate({ search: (prev) => ({ ...prev, ...patch, page: undefined }) });
  };
  const filtered = Object.keys(search).some((k) => k !== "page" && k !== "per_page" && k !== "order" && k !== "order_by");

  return (
    <>
      <PageTitle title={t.recordings.title} />
      <RecordingsFilters search={search} onChange={setFilters} onClear={() => setFilters({ search: undefined, status: undefined, template_id: undefined, source_id: undefined, mapped: undefined, failed: undefined, include_blank: undefined, include_deleted: undefined, from_date: undefined, to_date: undefined })} />
      {selected.size > 0 && <BulkActions ids={[...selected]} onDone={() => setSelected(new Set())} />}
      {list.error ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <Center py="xl">
          <Loader role="status" aria-label={t.app.loading} />
        </Center>
      ) : list.data.total === 0 ? (
        <Stack align="center" py="xl" gap="xs">
          <Title order={2} size="h3">
            {filtered ? t.recordings.noMatches : t.recordings.empty}
          </Title>
          {!filtered && <Text c="dimmed">{t.recordings.emptyText}</Text>}
        </Stack>
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="xs" aria-live="polite">
            {t.recordings.total(list.data.total)}
          </Text>
          <RecordingsTable
            items={list.data.items}
            selected={selected}
            onToggle={(id) =>
              setSelected((prev) => {
                const next = new Set(prev);
                if (!next.delete(id)) next.add(id);
                return next;
              })
            }
            onToggleAll={(checked) => setSelected(checked ? new Set(list.data.items.map((r) => r.id)) : new Set())}
          />
          {list.data.total_pages > 1 && (
            <Group justify="center" mt="md">
              <Pagination
                total={list.data.total_pages}
                value={list.data.page}
                onChange={(page) => {
                  setSelected(new Set());
                  void navigate({ search: (prev) => ({ ...prev, page: page === 1 ? undefined : page }) });
                }}
                getControlProps={(control) => ({ "aria-label": `${control}` })}
                getItemProps={(page) => ({ "aria-label": `${t.recordings.pagination} ${number(page)}` })}
              />
            </Group>
          )}
        </>
      )}
    </>
  );
}
