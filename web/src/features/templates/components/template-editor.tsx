import { Alert, Button, Checkbox, Fieldset, Grid, Group, List, Stack, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useNavigate } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useCreateTemplate, useUpdateTemplate } from "../api/templates-mutations";
import { detailsToFieldErrors, fieldPaths, toFormValues, toRequestBody, type Template, type TemplateFormValues } from "../form-model";
import { MetadataFields, OutputFields, ProcessingFields } from "./config-fields";
import { notify } from "./notify";
import { handOverRematch, type RematchSummary } from "./rematch-text";
import { RulesFields } from "./rules-fields";
import { RulesPreview } from "./rules-preview";
import { useLivePreview } from "./use-live-preview";

interface Props {
  template: Template | null;
  /** What the save rematched (an update; a new template's page shows it when it opens). */
  onRematched?: (rematch: RematchSummary) => void;
}

/** Create or edit one template: every section is a form, the rules preview updates as they are typed. */
export function TemplateEditor({ template, onRematched }: Props) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const create = useCreateTemplate();
  const update = useUpdateTemplate(template?.id ?? 0);
  const saving = create.isPending || update.isPending;
  const [problems, setProblems] = useState<{ message: string; other: string[] } | null>(null);
  const form = useForm<TemplateFormValues>({
    initialValues: toFormValues(template),
    validate: { name: (value) => (value.trim().length >= 3 ? null : t.templates.nameRequired) },
  });
  const paths = useMemo(() => fieldPaths(form.values), [form.values]);
  const preview = useLivePreview(form.values.matching_rules, template?.id ?? null);
  const liveErrors = preview.invalid ? detailsToFieldErrors(preview.invalid.details, paths).fields : {};

  const onError = (error: Error) => {
    const { fields, other } = error instanceof ApiError ? detailsToFieldErrors(error.details, paths) : { fields: {}, other: [] };
    form.setErrors(fields);
    const message = error instanceof ApiError ? (error.status === 0 ? t.app.networkError : error.message) : t.app.genericError;
    // Field problems are shown beside their fields; the message says what failed when no field shows it.
    setProblems(Object.keys(fields).length > 0 && other.length === 0 ? { message: t.templates.formErrors, other: [] } : { message, other });
  };

  const submit = form.onSubmit((values) => {
    setProblems(null);
    const body = toRequestBody(values, template);
    if (template === null) {
      create.mutate(body, {
        onSuccess: (created) => {
          notify("green", t.templates.created, t.templates.close);
          handOverRematch(created.id, created.rematch);
          void navigate({ to: "/templates/$templateId", params: { templateId: String(created.id) } });
        },
        onError,
      });
    } else {
      update.mutate(body, {
        onSuccess: (saved) => {
          notify("green", t.templates.saved, t.templates.close);
          onRematched?.(saved.rematch);
        },
        onError,
      });
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t.templates.editorForm}>
      <Stack gap="lg">
        {problems && (
          <Alert color="red" role="alert" title={problems.message}>
            {problems.other.length > 0 && (
              <List size="sm">
                {problems.other.map((line) => (
                  <List.Item key={line}>{line}</List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        <Fieldset legend={t.templates.basics}>
          <Stack gap="sm">
            <TextInput label={t.templates.name} required maxLength={255} data-autofocus {...form.getInputProps("name")} />
            <Textarea label={t.templates.description} autosize minRows={1} maxLength={1000} {...form.getInputProps("description")} />
            <Checkbox label={t.templates.isDraft} description={t.templates.isDraftHint} {...form.getInputProps("is_draft", { type: "checkbox" })} />
          </Stack>
        </Fieldset>
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <RulesFields form={form} liveErrors={liveErrors} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <RulesPreview preview={preview} templateId={template?.id ?? null} />
          </Grid.Col>
        </Grid>
        <ProcessingFields form={form} />
        <MetadataFields form={form} />
        <OutputFields form={form} />
        <Group justify="flex-end">
          <Button type="submit" loading={saving}>
            {t.templates.save}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
