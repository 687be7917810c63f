import { Button, Center, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { PageTitle } from "../../../components/page-title";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { type BulkAction, type BulkResult, recordingKeys, recordingsListQuery, useExportCsv } from "../api/recordings-queries";
import type { RecordingsSearch } from "../search-params";
import { BulkActions } from "./bulk-actions";
import { BulkResults } from "./bulk-results";
import { ListPagination } from "./list-pagination";
import { RecordingsFilters } from "./recordings-filters";
import { RecordingsTable } from "./recordings-table";
import { SearchHits } from "./search-hits";

const route = getRouteApi("/app/recordings");

const NO_FILTERS: Partial<RecordingsSearch> = {
  search: undefined,
  status: undefined,
  template_id: undefined,
  source_id: undefined,
  mapped: undefined,
  failed: undefined,
  include_blank: undefined,
  include_deleted: undefined,
  from_date: undefined,
  to_date: undefined,
};

export function RecordingsPage() {
  const { t } = useI18n();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  /** Rows whose run was started here: followed live until the run ends. */
  const [watched, setWatched] = useState<Set<number>>(new Set());
  const [outcome, setOutcome] = useState<{ action: BulkAction; result: BulkResult; names: Map<number, string> } | null>(null);
  const list = useQuery(recordingsListQuery(search, watched.size > 0));
  const exportCsv = useExportCsv();

  const setFilters = (patch: Partial<RecordingsSearch>) => {
    setSelected(new Set());
    void navigate({ search: (prev) => ({ ...prev, ...patch, page: undefined }) });
  };
  const filtered = Object.keys(search).some((k) => k !== "page" && k !== "per_page" && k !== "order" && k !== "order_by");
  const items = list.data?.items ?? [];
  const names = useMemo(() => new Map(items.map((r) => [r.id, r.display_name])), [items]);

  const onRunEnded = useCallback(
    (id: number) => {
      setWatched((prev) => {
        const next = new Set(prev);
        next.delete(id);
        return next;
      });
      void queryClient.invalidateQueries({ queryKey: recordingKeys.lists() });
    },
    [queryClient],
  );
  const onResult = (action: BulkAction, result: BulkResult) => {
    setOutcome({ action, result, names: new Map([...selected].map((id) => [id, names.get(id) ?? `#${id}`])) });
    if (action === "process" || action === "upload") {
      const started = result.details.filter((d) => d.task_id !== undefined).map((d) => d.recording_id);
      setWatched((prev) => new Set([...prev, ...started]));
    }
    setSelected(new Set());
  };

  return (
    <>
      <PageTitle
        title={t.recordings.title}
        actions={
          <Button
            variant="default"
            size="sm"
            loading={exportCsv.isPending}
            onClick={() =>
              exportCsv.mutate({ search }, { onError: (error) => notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }) })
            }
          >
            {filtered ? t.recordings.exportFiltered : t.recordings.exportAll}
          </Button>
        }
      />
      <RecordingsFilters search={search} onChange={setFilters} onClear={() => setFilters(NO_FILTERS)} />
      {search.search && <SearchHits q={search.search} />}
      {outcome && <BulkResults action={outcome.action} result={outcome.result} names={outcome.names} onClose={() => setOutcome(null)} />}
      {selected.size > 0 && <BulkActions ids={[...selected]} search={search} onClear={() => setSelected(new Set())} onResult={onResult} />}
      {list.error ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <Center py="xl">
          <Loader role="status" aria-label={t.app.loading} />
        </Center>
      ) : list.data.total === 0 && list.data.page === 1 && search.search ? (
        // The list matches names only; the full-text hits above may well have found the words.
        <Stack align="center" py="lg" gap="xs">
          <Title order={2} size="h4">
            {t.recordings.noNameMatches(search.search)}
          </Title>
          <Text c="dimmed" size="sm">
            {t.recordings.noNameMatchesText}
          </Text>
        </Stack>
      ) : list.data.total === 0 && list.data.page === 1 ? (
        <Stack align="center" py="xl" gap="xs">
          <Title order={2} size="h3">
            {filtered ? t.recordings.noMatches : t.recordings.empty}
          </Title>
          {!filtered && <Text c="dimmed">{t.recordings.emptyText}</Text>}
        </Stack>
      ) : (
        <>
          {search.search && (
            <Title order={2} size="h4" mb={4}>
              {t.recordings.namesTitle(search.search)}
            </Title>
          )}
          <Group justify="space-between" mb="xs">
            <Text size="sm" c="dimmed" aria-live="polite">
              {t.recordings.total(list.data.total)}
            </Text>
          </Group>
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
            onToggleAll={(checked) => setSelected(checked ? new Set(items.map((r) => r.id)) : new Set())}
            watched={watched}
            onRunEnded={onRunEnded}
          />
          <ListPagination
            page={list.data.page}
            perPage={list.data.per_page}
            total={list.data.total}
            totalPages={list.data.total_pages}
            onPage={(page) => {
              setSelected(new Set());
              void navigate({ search: (prev) => ({ ...prev, page: page === 1 ? undefined : page }) });
            }}
            onPerPage={(perPage) => setFilters({ per_page: perPage === 20 ? undefined : perPage })}
          />
        </>
      )}
    </>
  );
}
