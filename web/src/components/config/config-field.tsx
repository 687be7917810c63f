import { Checkbox, Group, NumberInput, Select, Switch, Textarea, TextInput } from "@mantine/core";
import type { useForm } from "@mantine/form";
import type { Dictionary } from "../../i18n/en";
import type { FieldSpec, FieldValue } from "./config-sections";

/** The same bounds as the API's schema, checked before the round trip. */
export function validateField(field: FieldSpec, value: FieldValue, t: Dictionary): string | null {
  if (field.kind === "number") {
    if (typeof value !== "number" || !Number.isFinite(value)) return t.settings.config.numberRange(field.min, field.max);
    if (value < field.min || value > field.max || (field.integer && !Number.isInteger(value))) return t.settings.config.numberRange(field.min, field.max);
  }
  if (field.kind === "text" && typeof value === "string" && (value.trim().length < field.minLength || value.length > field.maxLength)) {
    return t.settings.config.textLength(field.minLength, field.maxLength);
  }
  return null;
}

type InputProps = ReturnType<ReturnType<typeof useForm<Record<string, FieldValue>>>["getInputProps"]>;

/** One config input as its kind asks (switch, number, select, text, checkboxes), with the form's props. */
export function ConfigField({ field, props }: { field: FieldSpec; props: InputProps }) {
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
