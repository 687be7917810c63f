import { Anchor, Button, Card, Code, Stack, Title } from "@mantine/core";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState } from "react";
import { ListTable } from "../../../components/list-table";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useAutomationJobs } from "../api/automation-queries";
import { JobForm } from "./job-form";
import { JobStateBadge } from "./job-state-badge";
import { JobPanel } from "./job-panel";

const route = getRouteApi("/app/automation");

/** Jobs list; the selected job (?job=id) opens below with its actions and history. */
export function AutomationPage() {
  const { t, dateTime } = useI18n();
  const jobs = useAutomationJobs();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [creating, setCreating] = useState(false);
  const selected = jobs.data?.find((job) => job.id === search.job);

  return (
    <>
      <PageTitle title={t.automation.title} intro={t.automation.intro} actions={!creating && <Button onClick={() => setCreating(true)}>{t.automation.newJob}</Button>} />
      <Stack gap="lg">
        {creating && (
          <Card withBorder>
            <Title order={2} size="h3" mb="sm">
              {t.automation.newJob}
            </Title>
            <JobForm
              onCancel={() => setCreating(false)}
              onDone={(job) => {
                setCreating(false);
                void navigate({ search: { job: job.id } });
              }}
            />
          </Card>
        )}
        <QueryState query={jobs}>
          {(items) => (
            <ListTable
              items={items}
              rowKey={(job) => job.id}
              empty={t.automation.empty}
              minWidth={560}
              columns={[
                {
                  header: t.automation.name,
                  cell: (job) => (
                    <Anchor renderRoot={(props) => <Link {...props} to="/automation" search={{ job: job.id }} />} aria-current={job.id === search.job ? "true" : undefined}>
                      {job.name}
                    </Anchor>
                  ),
                },
                { header: t.automation.schedule, cell: (job) => <Code>{job.cron_expression}</Code> },
                { header: t.automation.timeZone, cell: (job) => (typeof job.schedule.timezone === "string" ? job.schedule.timezone : "—") },
                { header: t.automation.nextRun, cell: (job) => dateTime(job.next_run_at) },
                { header: t.automation.status, cell: (job) => <JobStateBadge active={job.is_active} /> },
              ]}
            />
          )}
        </QueryState>
        {selected && <JobPanel key={selected.id} job={selected} />}
      </Stack>
    </>
  );
}
