import { Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { ConfigField, validateField } from "../../../components/config/config-field";
import { type FieldValue, fieldOfPath, type SectionSpec, sectionPatch, sectionValues } from "../../../components/config/config-sections";
import { useI18n } from "../../../i18n/i18n-provider";
import { fieldErrors } from "../../../lib/api-error";
import { usePatchConfig } from "../api/config-queries";
import { SettingsError } from "./settings-error";

/** One group of settings as a form; saving sends only this group's keys (a merge patch). */
export function ConfigSectionForm({ spec, config }: { spec: SectionSpec; config: Record<string, unknown> }) {
  const { t } = useI18n();
  const patch = usePatchConfig();
  const form = useForm<Record<string, FieldValue>>({
    initialValues: sectionValues(config, spec),
    validate: (values) => Object.fromEntries(spec.fields.map((field) => [field.key, validateField(field, values[field.key] ?? "", t)])),
  });
  const headingId = `config-${spec.id}-heading`;

  const submit = form.onSubmit((values) => {
    const sent = Object.fromEntries(spec.fields.map((field) => [field.key, field.kind === "text" ? String(values[field.key]).trim() : values[field.key]]));
    patch.mutate(sectionPatch(spec, sent as Record<string, FieldValue>), {
      onSuccess: () => form.resetDirty(values),
      onError: (error) => {
        const errors: Record<string, string> = {};
        for (const [path, message] of Object.entries(fieldErrors(error))) {
          const key = fieldOfPath(spec, path);
          if (key) errors[key] = message;
        }
        form.setErrors(errors);
      },
    });
  });
  const handled = Object.keys(fieldErrors(patch.error)).some((path) => fieldOfPath(spec, path) !== null);

  return (
    <Card withBorder component="section" aria-labelledby={headingId}>
      <Title order={3} size="h4" mb="sm" id={headingId}>
        {spec.title}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={560}>
          {spec.fields.map((field) => (
            <ConfigField key={field.key} field={field} props={form.getInputProps(field.key, { type: field.kind === "switch" ? "checkbox" : "input" })} />
          ))}
          <SettingsError error={patch.error} handled={handled} />
          <Group>
            <Button type="submit" loading={patch.isPending}>
              {t.settings.config.save}
            </Button>
            {patch.isSuccess && !form.isDirty() && (
              <Text role="status" c="teal.9" size="sm">
                {t.settings.config.saved}
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
