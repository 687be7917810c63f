import { Code } from "@mantine/core";
import { ActiveBadge, ListTable } from "../../../components/list-table";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useAutomationJobs } from "../api/automation-queries";

export function AutomationPage() {
  const { t, dateTime } = useI18n();
  const jobs = useAutomationJobs();
  return (
    <>
      <PageTitle title={t.automation.title} intro={t.automation.intro} />
      <QueryState query={jobs}>
        {(items) => (
          <ListTable
            items={items}
            rowKey={(job) => job.id}
            empty={t.automation.empty}
            minWidth={480}
            columns={[
              { header: t.automation.name, cell: (job) => job.name },
              { header: t.automation.schedule, cell: (job) => <Code>{job.cron_expression}</Code> },
              { header: t.automation.nextRun, cell: (job) => dateTime(job.next_run_at) },
              { header: t.detail.status, cell: (job) => <ActiveBadge active={job.is_active} on={t.automation.enabled} off={t.automation.disabled} /> },
            ]}
          />
        )}
      </QueryState>
    </>
  );
}
