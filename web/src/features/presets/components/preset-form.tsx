import { Alert, Button, Checkbox, Grid, Group, Paper, Radio, Select, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { Link, useNavigate } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import {
  type DraftPreviewRequest,
  type Preset,
  type PresetPlatform,
  useCreatePreset,
  useDraftPreview,
  usePresetCredentials,
  usePreviewRecordings,
  useUpdatePreset,
} from "../api/presets-queries";
import { type FieldIssue, issuesOf, PLATFORMS, type PresetFormValues, toFormValues, toMetadata } from "../preset-form-values";
import { PlatformFields } from "./platform-fields";
import { PreviewPanel } from "./preview-panel";
import { TemplateEditor } from "./template-editor";

const PREVIEW_DELAY_MS = 400;

const validationIssues = (error: unknown): FieldIssue[] => (error instanceof ApiError && error.status === 400 ? issuesOf(error.details) : []);

/** Create or edit a preset: general fields, the platform's settings, the templates, and a live preview beside them. */
export function PresetForm({ preset, initialPlatform }: { preset?: Preset; initialPlatform?: PresetPlatform }) {
  const { t } = useI18n();
  const e = t.presets.editor;
  const navigate = useNavigate();
  const create = useCreatePreset();
  const update = useUpdatePreset(preset?.id ?? 0);
  const save = preset ? update : create;
  const form = useForm<PresetFormValues>({
    initialValues: toFormValues(preset, initialPlatform),
    validate: { name: (v) => (v.trim().length > 0 && v.trim().length <= 255 ? null : t.presets.name) },
    // A change after a failed save: the save's errors are out of date (the preview's are fresh).
    onValuesChange: () => {
      if (create.error) create.reset();
      if (update.error) update.reset();
    },
  });
  const values = form.values;

  // The credential picker: this platform's accounts; the only one is picked for you.
  const credentials = usePresetCredentials();
  const platformCredentials = useMemo(() => (credentials.data ?? []).filter((c) => c.platform === values.platform), [credentials.data, values.platform]);
  const onlyCredential = platformCredentials.length === 1 ? String(platformCredentials[0]?.id) : null;
  const credentialId = values.credentialId ?? onlyCredential;

  // The preview: the recording picked (else the newest), and the form as typed, debounced.
  const recordings = usePreviewRecordings();
  const recordingOptions = recordings.data?.items.map((r) => ({ value: String(r.id), label: r.display_name }));
  const [picked, setPicked] = useState<string | null>(null);
  const recordingId = picked ?? recordingOptions?.[0]?.value ?? null;
  const metadata = toMetadata(values, preset);
  const draftKey = JSON.stringify(
    recordingId === null
      ? null
      : ({
          recording_id: Number(recordingId),
          platform: values.platform,
          credential_id: credentialId ? Number(credentialId) : null,
          preset_metadata: metadata,
          is_active: values.isActive,
        } satisfies DraftPreviewRequest),
  );
  const [debouncedKey] = useDebouncedValue(draftKey, PREVIEW_DELAY_MS);
  const draft = useMemo(() => JSON.parse(debouncedKey) as DraftPreviewRequest | null, [debouncedKey]);
  const preview = useDraftPreview(draft);

  const previewIssues = validationIssues(preview.error);
  const issues = save.error ? validationIssues(save.error) : previewIssues;
  const fieldErrors: Record<string, string> = {};
  for (const issue of issues) {
    if (issue.field in fieldErrors) continue;
    fieldErrors[issue.field] = issue.line !== undefined && issue.column !== undefined ? e.problemAt(issue.line, issue.column, issue.message) : issue.message;
  }
  const templateIssues = (field: string) => issues.filter((i) => i.field === field);
  const otherSaveError = save.error && validationIssues(save.error).length === 0 ? save.error : null;

  const submit = form.onSubmit((v) => {
    if (!credentialId) {
      form.setFieldError("credentialId", e.credentialRequired);
      return;
    }
    const body = {
      name: v.name.trim(),
      description: v.description.trim() || null,
      credential_id: Number(credentialId),
      preset_metadata: toMetadata(v, preset),
      is_active: v.isActive,
    };
    const done = (message: string) => {
      notifications.show({ color: "green", message });
      void navigate({ to: "/presets" });
    };
    if (preset) update.mutate(body, { onSuccess: () => done(t.presets.saved) });
    else create.mutate({ ...body, platform: v.platform }, { onSuccess: () => done(t.presets.created) });
  });

  const credentialOptions = platformCredentials.map((c) => ({
    value: String(c.id),
    label: `${c.account_name ?? c.hint}${c.needs_reauth ? ` — ${t.connections.needsReconnect}` : ""}`,
  }));

  return (
    <form onSubmit={submit} noValidate aria-label={preset ? e.editTitle(preset.name) : e.newTitle}>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            {(otherSaveError || (save.error && issues.length > 0)) && (
              <Alert color="red" role="alert">
                {otherSaveError ? (otherSaveError instanceof ApiError ? otherSaveError.message : t.app.genericError) : e.fixErrors}
              </Alert>
            )}
            <Paper withBorder p="md" component="section" aria-labelledby="preset-general">
              <Stack gap="sm">
                <Title order={2} size="h4" id="preset-general">
                  {e.general}
                </Title>
                <TextInput label={t.presets.name} required {...form.getInputProps("name")} error={form.errors.name ?? fieldErrors.name} />
                <Radio.Group
                  label={t.presets.platform}
                  description={preset ? e.platformLocked : undefined}
                  value={values.platform}
                  onChange={(p) => {
                    const platform = PLATFORMS.find((x) => x === p);
                    if (platform) {
                      form.setFieldValue("platform", platform);
                      form.setFieldValue("credentialId", null);
                    }
                  }}
                >
                  <Group mt={6}>
                    {PLATFORMS.map((p) => (
                      <Radio key={p} value={p} label={t.presets.platforms[p]} disabled={preset !== undefined} />
                    ))}
                  </Group>
                </Radio.Group>
                <Select
                  label={e.credential}
                  description={e.credentialHint}
                  required
                  data={credentialOptions}
                  value={credentialId}
                  onChange={(id) => form.setFieldValue("credentialId", id)}
                  error={form.errors.credentialId ?? fieldErrors.credential_id}
                  allowDeselect={false}
                />
                {credentials.data && platformCredentials.length === 0 && (
                  <Text size="sm" c="dimmed">
                    {e.noCredentials}
                  </Text>
                )}
                <Textarea label={e.descriptionField} description={e.descriptionHint} autosize minRows={1} {...form.getInputProps("description")} error={fieldErrors.description} />
                <Checkbox label={e.isActive} {...form.getInputProps("isActive", { type: "checkbox" })} />
              </Stack>
            </Paper>

            <Paper withBorder p="md" component="section" aria-labelledby="preset-templates">
              <Stack gap="sm">
                <Title order={2} size="h4" id="preset-templates">
                  {e.templates}
                </Title>
                <Text size="sm" c="dimmed">
                  {e.templatesHint}
                </Text>
                <TemplateEditor label={e.titleTemplate} value={values.titleTemplate} onChange={(v) => form.setFieldValue("titleTemplate", v)} issues={templateIssues("title_template")} />
                <TemplateEditor
                  label={e.descriptionTemplate}
                  value={values.descriptionTemplate}
                  onChange={(v) => form.setFieldValue("descriptionTemplate", v)}
                  issues={templateIssues("description_template")}
                  minRows={5}
                />
              </Stack>
            </Paper>

            <Paper withBorder p="md" component="section" aria-labelledby="preset-platform">
              <Stack gap="sm">
                <Title order={2} size="h4" id="preset-platform">
                  {e.platformSettings(t.presets.platforms[values.platform])}
                </Title>
                {fieldErrors.preset_metadata && (
                  <Alert color="red" role="alert">
                    {fieldErrors.preset_metadata}
                  </Alert>
                )}
                <PlatformFields form={form} errors={fieldErrors} />
              </Stack>
            </Paper>

            <Group>
              <Button type="submit" loading={save.isPending}>
                {preset ? e.save : e.create}
              </Button>
              <Button variant="default" renderRoot={(props) => <Link {...props} to="/presets" />}>
                {e.cancel}
              </Button>
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <div style={{ position: "sticky", top: 72 }}>
            <PreviewPanel
              recordings={recordingOptions}
              recordingId={recordingId}
              onRecordingChange={setPicked}
              preview={preview.data}
              fetching={preview.isFetching || debouncedKey !== draftKey}
              blocked={previewIssues.length > 0}
              error={previewIssues.length > 0 ? null : preview.error}
            />
          </div>
        </Grid.Col>
      </Grid>
    </form>
  );
}
