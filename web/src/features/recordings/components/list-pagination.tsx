import { Group, NativeSelect, Pagination, Text } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import { PER_PAGE } from "../search-params";

interface Props {
  page: number;
  perPage: number;
  total: number;
  totalPages: number;
  onPage: (page: number) => void;
  onPerPage: (perPage: number) => void;
}

/** Pages of the list (the API counts the matches; only the shown page is loaded), with the page size. */
export function ListPagination({ page, perPage, total, totalPages, onPage, onPerPage }: Props) {
  const { t, number } = useI18n();
  const from = total === 0 ? 0 : (page - 1) * perPage + 1;
  const to = Math.min(total, page * perPage);
  const controls: Record<string, string> = { first: t.recordings.firstPage, previous: t.recordings.previousPage, next: t.recordings.nextPage, last: t.recordings.lastPage };
  return (
    <Group justify="space-between" mt="md" gap="sm">
      <Text size="sm" c="dimmed">
        {t.recordings.showing(number(from), number(to), number(total))}
      </Text>
      {totalPages > 1 && (
        <nav aria-label={t.recordings.pagination}>
          <Pagination
            total={totalPages}
            value={Math.min(page, totalPages)}
            onChange={onPage}
            withEdges
            siblings={1}
            boundaries={1}
            size="sm"
            getControlProps={(control) => ({ "aria-label": controls[control] ?? control })}
            getItemProps={(p) => ({ "aria-label": t.recordings.pageN(number(p)), "aria-current": p === page ? "page" : undefined })}
          />
        </nav>
      )}
      <NativeSelect
        label={t.recordings.perPage}
        size="xs"
        value={String(perPage)}
        onChange={(e) => onPerPage(Number(e.currentTarget.value))}
        data={[...new Set<number>([...PER_PAGE, perPage])].sort((a, b) => a - b).map((n) => ({ value: String(n), label: String(n) }))}
        styles={{ root: { display: "flex", alignItems: "center", gap: 8 } }}
      />
    </Group>
  );
}
