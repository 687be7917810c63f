import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { ConfigField, validateField } from "../../../components/config/config-field";
import { type FieldSpec, type FieldValue, fieldValue } from "../../../components/config/config-sections";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError, fieldErrors } from "../../../lib/api-error";
import { type RecordingConfig, useUpdateOverrides } from "../api/config-queries";
import { EDITABLE_PATHS, knownFields, overridePaths, overridesPatch, valueAt } from "../config-layout";

/** Form keys stand for paths of the effective config; a dot would read as nesting to the form. */
const keyOf = (path: string) => path.replaceAll(".", "-");

interface Props {
  recordingId: number;
  config: RecordingConfig;
  onClose: () => void;
}

/** The most used values of a recording, starting from what it uses now; only the changed ones are saved as its own. */
export function RecordingConfigEditor({ recordingId, config, onClose }: Props) {
  const { t } = useI18n();
  const r = t.recordingConfig;
  const update = useUpdateOverrides(recordingId);
  const known = knownFields(t);
  const fields = EDITABLE_PATHS.flatMap((path) => {
    const field = known.get(path);
    return field ? [{ path, key: keyOf(path), field }] : [];
  });
  const initial = Object.fromEntries(fields.map(({ path, key, field }) => [key, fieldValue(field, valueAt(config.effective_config, path.split(".")))]));
  const form = useForm<Record<string, FieldValue>>({
    initialValues: initial,
    validate: (values) => Object.fromEntries(fields.map(({ key, field }) => [key, validateField(field, values[key] ?? "", t)])),
  });

  /** The API names a bad value by its path in the overrides: the message goes beside that field. */
  const placed = (error: unknown) => {
    const errors: Record<string, string> = {};
    for (const [path, message] of Object.entries(fieldErrors(error))) {
      const match = fields.find((f) => overridePaths(f.path).some((place) => place.join(".") === path));
      if (match) errors[match.key] = message;
    }
    return errors;
  };

  const submit = form.onSubmit((values) => {
    const sent = (field: FieldSpec, value: FieldValue | undefined) => (field.kind === "text" && typeof value === "string" ? value.trim() : value);
    const changes = fields
      .filter(({ key }) => JSON.stringify(values[key]) !== JSON.stringify(initial[key]))
      .map(({ path, key, field }) => ({ path, value: sent(field, values[key]) }));
    if (changes.length === 0) {
      notifications.show({ color: "gray", message: r.unchanged });
      onClose();
      return;
    }
    update.mutate(overridesPatch(config.overrides, changes), {
      onSuccess: () => {
        notifications.show({ color: "green", message: r.saved });
        onClose();
      },
      onError: (error) => form.setErrors(placed(error)),
    });
  });
  // An error no field can show (a conflict, a lost connection) is shown above the buttons.
  const unplaced = update.error && Object.keys(placed(update.error)).length === 0 ? update.error : null;

  return (
    <Modal opened onClose={onClose} title={r.editTitle} size="lg" closeButtonProps={{ "aria-label": r.cancel }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{r.editIntro}</Text>
          {fields.map(({ key, field }) => (
            <ConfigField key={key} field={field} props={form.getInputProps(key, { type: field.kind === "switch" ? "checkbox" : "input" })} />
          ))}
          {unplaced && (
            <Alert color="red" role="alert">
              {unplaced instanceof ApiError ? unplaced.message : t.app.genericError}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {r.cancel}
            </Button>
            <Button type="submit" loading={update.isPending}>
              {r.save}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
