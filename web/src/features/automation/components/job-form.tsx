import { Alert, Anchor, Button, Checkbox, Group, NumberInput, Select, Stack, TextInput } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError, fieldErrors } from "../../../lib/api-error";
import { useCreateJob, useUpdateJob } from "../api/automation-mutations";
import { useZoomSources, type AutomationJob } from "../api/automation-queries";
import { defaultDraft, draftOf, draftProblems, scheduleOf } from "../schedule";
import { JobTemplatesSelect } from "./job-templates";
import { ScheduleEditor } from "./schedule-editor";

const flag = (config: Record<string, unknown>, key: string, fallback: boolean) => (typeof config[key] === "boolean" ? (config[key] as boolean) : fallback);

/** Creates a job, or edits one: name, Zoom source, templates, schedule, how far back to sync, what to do with new recordings. */
export function JobForm({ job, onDone, onCancel }: { job?: AutomationJob; onDone: (saved: AutomationJob) => void; onCancel?: () => void }) {
  const { t, timeZone } = useI18n();
  const sources = useZoomSources();
  const create = useCreateJob();
  const update = useUpdateJob(job?.id ?? 0);
  const mutation = job ? update : create;
  const [name, setName] = useState(job?.name ?? "");
  const [sourceId, setSourceId] = useState<string | null>(job ? String(job.source_id) : null);
  const [templateIds, setTemplateIds] = useState<number[]>(job?.template_ids ?? []);
  const [schedule, setSchedule] = useState(() => (job ? draftOf(job.schedule, timeZone) : defaultDraft(timeZone)));
  const [syncDays, setSyncDays] = useState(typeof job?.sync_config.sync_days === "number" ? job.sync_config.sync_days : 2);
  const [autoProcess, setAutoProcess] = useState(flag(job?.processing_config ?? {}, "auto_process", true));
  const [autoUpload, setAutoUpload] = useState(flag(job?.processing_config ?? {}, "auto_upload", true));
  const [active, setActive] = useState(job?.is_active ?? true);
  const [checked, setChecked] = useState(false);
  const apiErrors = fieldErrors(mutation.error);
  const scheduleError = apiErrors.schedule ?? (mutation.error instanceof ApiError && /schedule/i.test(mutation.error.message) ? mutation.error.message : undefined);
  const nameError = checked && name.trim() === "" ? t.automation.required : apiErrors.name;
  const sourceError = checked && !sourceId ? t.automation.required : apiErrors.source_id;
  const maxParallel = typeof job?.processing_config.max_parallel === "number" ? job.processing_config.max_parallel : 3;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (name.trim() === "" || !sourceId || draftProblems(schedule).length > 0) return;
    const body = {
      name: name.trim(),
      source_id: Number(sourceId),
      schedule: scheduleOf(schedule),
      sync_config: { sync_days: syncDays, allow_skipped: flag(job?.sync_config ?? {}, "allow_skipped", false) },
      processing_config: { auto_process: autoProcess, auto_upload: autoUpload, max_parallel: maxParallel },
      is_active: active,
    };
    // An edit sends the templates only when they changed here: one deleted since (the API refuses its id) does not block other edits.
    if (job) update.mutate(templateIds.join() === job.template_ids.join() ? body : { ...body, template_ids: templateIds }, { onSuccess: onDone });
    else create.mutate({ ...body, template_ids: templateIds }, { onSuccess: onDone });
  };

  const noSources = sources.data !== undefined && sources.data.length === 0;
  return (
    <form onSubmit={submit} aria-label={job ? t.automation.editJobNamed(job.name) : t.automation.newJob} noValidate>
      <Stack gap="sm">
        <TextInput label={t.automation.name} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} />
        {noSources ? (
          <Alert color="yellow" title={t.automation.noSourcesTitle}>
            {t.automation.noSourcesText}{" "}
            <Anchor component={Link} to="/connections">
              {t.automation.goToConnections}
            </Anchor>
          </Alert>
        ) : (
          <Select
            label={t.automation.source}
            required
            data={(sources.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
            value={sourceId}
            onChange={setSourceId}
            error={sourceError}
          />
        )}
        <JobTemplatesSelect value={templateIds} onChange={setTemplateIds} error={apiErrors.template_ids} />
        <ScheduleEditor value={schedule} onChange={setSchedule} checked={checked} apiError={scheduleError} />
        <NumberInput label={t.automation.syncDays} description={t.automation.syncDaysHint} min={1} max={30} value={syncDays} onChange={(v) => setSyncDays(Number(v) || 1)} maw={260} />
        <Checkbox label={t.automation.autoProcess} checked={autoProcess} onChange={(e) => setAutoProcess(e.currentTarget.checked)} />
        <Checkbox label={t.automation.autoUpload} checked={autoUpload} onChange={(e) => setAutoUpload(e.currentTarget.checked)} />
        <Checkbox label={t.automation.enabled} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
        {mutation.error && !scheduleError && Object.keys(apiErrors).length === 0 && <ErrorAlert error={mutation.error} />}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t.automation.cancel}
            </Button>
          )}
          <Button type="submit" loading={mutation.isPending}>
            {job ? t.automation.save : t.automation.create}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
