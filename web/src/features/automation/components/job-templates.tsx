import { MultiSelect, Text } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import { useTemplateOptions } from "../api/automation-queries";

/** Which templates a job processes: the caller's templates by name; none chosen means any recording. */
export function JobTemplatesSelect({ value, onChange, error }: { value: number[]; onChange: (ids: number[]) => void; error?: string }) {
  const { t } = useI18n();
  const options = useTemplateOptions();
  // A template deleted since the job was saved stays a pill, so it can be seen and removed.
  const missing = options.data ? value.filter((id) => !options.data.some((o) => o.value === String(id))) : [];
  return (
    <MultiSelect
      label={t.automation.templates}
      description={t.automation.templatesHint}
      placeholder={value.length === 0 ? t.automation.anyTemplate : undefined}
      data={[...(options.data ?? []), ...missing.map((id) => ({ value: String(id), label: t.automation.deletedTemplate(id) }))]}
      value={value.map(String)}
      onChange={(ids) => onChange(ids.map(Number))}
      error={error}
      searchable
      clearable
      nothingFoundMessage={t.automation.noTemplates}
      maw={520}
    />
  );
}

/** The job's templates by name, or "any template". */
export function JobTemplatesSummary({ ids }: { ids: number[] }) {
  const { t } = useI18n();
  const options = useTemplateOptions();
  const names = ids.map((id) => options.data?.find((o) => o.value === String(id))?.label ?? t.automation.deletedTemplate(id));
  return (
    <Text size="sm">
      {t.automation.templates}: {names.length > 0 ? names.join(", ") : t.automation.anyTemplate}
    </Text>
  );
}
