import { Button, Card, Checkbox, Group, NumberInput, Select, Stack, Switch, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useI18n } from "../../../i18n/i18n-provider";
import { fieldErrors } from "../../../lib/api-error";
import { usePatchConfig } from "../api/config-queries";
import { type FieldSpec, type FieldValue, fieldOfPath, type SectionSpec, sectionPatch, sectionValues } from "../config-sections";
import { SettingsError } from "./settings-error";

/** The same bounds as the API's schema, checked before the round trip. */
function validateField(field: FieldSpec, value: FieldValue, t: ReturnType<typeof useI18n>["t"]): string | null {
  if (field.kind === "number") {
    if (typeof value !== "number" || !Number.isFinite(value)) return t.settings.config.numberRange(field.min, field.max);
    if (value < field.min || value > field.max || (field.integer && !Number.isInteger(value))) return t.settings.config.numberRange(field.min, field.max);
  }
  if (field.kind === "text" && typeof value === "string" && (value.trim().length < field.minLength || value.length > field.maxLength)) {
    return t.settings.config.textLength(field.minLength, field.maxLength);
  }
  return null;
}

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

type InputProps = ReturnType<ReturnType<typeof useForm<Record<string, FieldValue>>>["getInputProps"]>;

function ConfigField({ field, props }: { field: FieldSpec; props: InputProps }) {
  switch (field.kind) {
    case "switch":
      return <Switch label={field.label} {...props} />;
    case "number":
      return <NumberInput label={field.label} min={field.min} max={field.max} step={field.step ?? 1} allowDecimal={!field.integer} maw={240} {...props} />;
    case "select":
      return <Select label={field.label} data={field.options} allowDeselect={false} maw={320} {...props} />;
    case "text":
      return field.multiline ? (
        <Textarea label={field.label} maxLength={field.maxLength} autosize minRows={2} {...props} />
      ) : (
        <TextInput label={field.label} maxLength={field.maxLength} maw={320} {...props} />
      );
    case "multi":
      return (
        <Checkbox.Group label={field.label} {...props}>
          <Group gap="md" mt={4}>
            {field.options.map((option) => (
              <Checkbox key={option.value} value={option.value} label={option.label} />
            ))}
          </Group>
        </Checkbox.Group>
      );
  }
}
