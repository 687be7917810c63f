import { Alert, Button, Card, Code, Group, Modal, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useDeleteJob, useRunJob } from "../api/automation-mutations";
import type { AutomationJob } from "../api/automation-queries";
import { DryRunResult } from "./dry-run-result";
import { JobForm } from "./job-form";
import { JobStateBadge } from "./job-state-badge";
import { JobTemplatesSummary } from "./job-templates";
import { RunHistory } from "./run-history";

const route = getRouteApi("/app/automation");

/** One job: its schedule, Edit, Run now, Dry run, Delete, and its run history. */
export function JobPanel({ job }: { job: AutomationJob }) {
  const { t, dateTime } = useI18n();
  const navigate = route.useNavigate();
  const run = useRunJob(job.id);
  const dryRun = useRunJob(job.id);
  const remove = useDeleteJob();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const zone = typeof job.schedule.timezone === "string" ? job.schedule.timezone : "";

  const confirmDelete = () =>
    remove.mutate(job.id, {
      onSuccess: () => {
        setConfirming(false);
        notifications.show({ closeButtonProps: { "aria-label": t.automation.dismiss }, color: "green", message: t.automation.deleted });
        void navigate({ search: {} });
      },
      onError: (error) => notifications.show({ closeButtonProps: { "aria-label": t.automation.dismiss }, color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }),
    });

  return (
    <Card withBorder component="section" aria-labelledby={`job-${job.id}-title`}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Title order={2} size="h3" id={`job-${job.id}-title`}>
              {job.name}
            </Title>
            <JobStateBadge active={job.is_active} />
          </Stack>
          <Group gap="xs">
            <Button variant="default" onClick={() => setEditing((e) => !e)}>
              {editing ? t.automation.cancel : t.automation.edit}
            </Button>
            <Button variant="default" loading={dryRun.isPending} onClick={() => dryRun.mutate(true)}>
              {t.automation.dryRun}
            </Button>
            <Button loading={run.isPending} disabled={job.is_running} onClick={() => run.mutate(false)}>
              {t.automation.runNow}
            </Button>
            <Button variant="outline" color="red.9" onClick={() => setConfirming(true)}>
              {t.automation.delete}
            </Button>
          </Group>
        </Group>
        {editing ? (
          <JobForm job={job} onDone={() => setEditing(false)} onCancel={() => setEditing(false)} />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            <Text size="sm">
              {t.automation.schedule}: <Code>{job.cron_expression}</Code> ({zone})
            </Text>
            <Text size="sm">
              {t.automation.nextRun}: {job.next_run_at ? dateTime(job.next_run_at) : t.automation.notScheduled}
            </Text>
            <Text size="sm">
              {t.automation.lastRun}: {job.last_run_at ? dateTime(job.last_run_at) : t.automation.never}
            </Text>
            <Text size="sm">
              {t.automation.runCount}: {job.run_count}
            </Text>
            <JobTemplatesSummary ids={job.template_ids} />
          </SimpleGrid>
        )}
        {dryRun.error && <ErrorAlert error={dryRun.error} />}
        {dryRun.data && <DryRunResult result={dryRun.data} onClose={() => dryRun.reset()} />}
        {run.error && <ErrorAlert error={run.error} />}
        {run.data && (
          <Alert color="green" styles={{ title: { color: "var(--mantine-color-text)" } }} role="status" title={t.automation.queuedTitle} withCloseButton onClose={() => run.reset()} closeButtonLabel={t.automation.dismiss}>
            {t.automation.queuedText}
          </Alert>
        )}
        <Title order={3} size="h4">
          {t.automation.history}
        </Title>
        <RunHistory jobId={job.id} />
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t.automation.deleteTitle} centered closeButtonProps={{ "aria-label": t.automation.cancel }}>
        <Stack>
          <Text size="sm">{t.automation.deleteText(job.name)}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t.automation.keep}
            </Button>
            <Button color="red.9" loading={remove.isPending} onClick={confirmDelete}>
              {t.automation.delete}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
