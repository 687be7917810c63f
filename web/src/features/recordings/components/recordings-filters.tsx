import { Button, Checkbox, Group, MultiSelect, NativeSelect, Select, SimpleGrid, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useState } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { useFilterOptions } from "../api/recordings-queries";
import { ORDER_BY, STATUS_FILTERS, type RecordingsSearch } from "../search-params";

interface Props {
  search: RecordingsSearch;
  /** Applies a change to the URL's filters; any change of filter returns to the first page. */
  onChange: (patch: Partial<RecordingsSearch>) => void;
  onClear: () => void;
}

export function RecordingsFilters({ search, onChange, onClear }: Props) {
  const { t } = useI18n();
  const options = useFilterOptions();
  const [text, setText] = useState(search.search ?? "");
  const applyText = useDebouncedCallback((value: string) => onChange({ search: value.trim() || undefined }), 350);
  const mapped = search.mapped === undefined ? "" : String(search.mapped);

  return (
    // biome-ignore lint/a11y/useSemanticElements: <form role="search"> is the ARIA pattern every screen reader knows; <search> is newer than some our users run.
    <form role="search" aria-label={t.recordings.filters} onSubmit={(e) => e.preventDefault()}>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" mb="sm">
        <TextInput
          label={t.recordings.search}
          placeholder={t.recordings.searchPlaceholder}
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            applyText(e.currentTarget.value);
          }}
        />
        <MultiSelect
          label={t.recordings.status}
          data={STATUS_FILTERS.map((s) => ({ value: s, label: t.status[s] ?? s }))}
          value={search.status?.split(",") ?? []}
          onChange={(values) => onChange({ status: values.length > 0 ? values.join(",") : undefined })}
          clearable
          searchable
        />
        <Select
          label={t.recordings.template}
          placeholder={t.recordings.anyTemplate}
          data={options.data?.templates ?? []}
          value={search.template_id === undefined ? null : String(search.template_id)}
          onChange={(v) => onChange({ template_id: v ? Number(v) : undefined })}
          clearable
          searchable
        />
        <Select
          label={t.recordings.source}
          placeholder={t.recordings.anySource}
          data={options.data?.sources ?? []}
          value={search.source_id === undefined ? null : String(search.source_id)}
          onChange={(v) => onChange({ source_id: v ? Number(v) : undefined })}
          clearable
          searchable
        />
        <NativeSelect
          label={t.recordings.mapped}
          value={mapped}
          onChange={(e) => onChange({ mapped: e.currentTarget.value === "" ? undefined : e.currentTarget.value === "true" })}
          data={[
            { value: "", label: t.recordings.mappedAny },
            { value: "true", label: t.recordings.mappedYes },
            { value: "false", label: t.recordings.mappedNo },
          ]}
        />
        <TextInput
          label={t.recordings.fromDate}
          type="date"
          value={search.from_date ?? ""}
          onChange={(e) => onChange({ from_date: e.currentTarget.value || undefined })}
        />
        <TextInput
          label={t.recordings.toDate}
          type="date"
          value={search.to_date ?? ""}
          onChange={(e) => onChange({ to_date: e.currentTarget.value || undefined })}
        />
        <Group grow gap="xs" align="flex-end">
          <NativeSelect
            label={t.recordings.orderBy}
            value={search.order_by ?? "start_time"}
            onChange={(e) => onChange({ order_by: e.currentTarget.value as RecordingsSearch["order_by"] })}
            data={ORDER_BY.map((o) => ({ value: o, label: t.recordings.orderFields[o] ?? o }))}
          />
          <NativeSelect
            label={t.recordings.order}
            value={search.order ?? "desc"}
            onChange={(e) => onChange({ order: e.currentTarget.value === "asc" ? "asc" : "desc" })}
            data={[
              { value: "desc", label: t.recordings.desc },
              { value: "asc", label: t.recordings.asc },
            ]}
          />
        </Group>
      </SimpleGrid>
      <Group gap="lg" mb="md">
        <Checkbox label={t.recordings.failedOnly} checked={search.failed === true} onChange={(e) => onChange({ failed: e.currentTarget.checked || undefined })} />
        <Checkbox
          label={t.recordings.includeBlank}
          checked={search.include_blank === true}
          onChange={(e) => onChange({ include_blank: e.currentTarget.checked || undefined })}
        />
        <Checkbox
          label={t.recordings.includeDeleted}
          checked={search.include_deleted === true}
          onChange={(e) => onChange({ include_deleted: e.currentTarget.checked || undefined })}
        />
        <Button
          variant="subtle"
          size="xs"
          onClick={() => {
            setText("");
            onClear();
          }}
        >
          {t.recordings.clearFilters}
        </Button>
      </Group>
    </form>
  );
}
