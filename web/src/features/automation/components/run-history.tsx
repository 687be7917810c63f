import { Badge, Text } from "@mantine/core";
import { ListTable } from "../../../components/list-table";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useJobRuns } from "../api/automation-queries";

const STATUS_COLORS: Record<string, string> = { running: "blue", completed: "green", failed: "red" };
const count = (value: unknown) => (Array.isArray(value) ? value.length : typeof value === "number" ? value : null);

/** The job's runs, newest first: when, how it started, and what it did or why it failed. */
export function RunHistory({ jobId }: { jobId: number }) {
  const { t, dateTime } = useI18n();
  const runs = useJobRuns(jobId);
  return (
    <QueryState query={runs}>
      {(data) => (
        <ListTable
          items={data.items}
          rowKey={(run) => run.id}
          empty={t.automation.noRuns}
          minWidth={640}
          striped={false}
          columns={[
            { header: t.automation.startedAt, cell: (run) => dateTime(run.started_at) },
            { header: t.automation.trigger, cell: (run) => t.automation.modes[run.mode as keyof typeof t.automation.modes] ?? run.mode },
            {
              header: t.automation.status,
              cell: (run) => (
                <Badge variant="dot" color={STATUS_COLORS[run.status] ?? "gray"}>
                  {t.automation.runStatuses[run.status as keyof typeof t.automation.runStatuses] ?? run.status}
                </Badge>
              ),
            },
            { header: t.automation.finishedAt, cell: (run) => dateTime(run.finished_at) },
            {
              header: t.automation.outcome,
              cell: (run) =>
                run.error ? (
                  <Text size="sm" c="red.8">
                    {run.error}
                  </Text>
                ) : run.result ? (
                  t.automation.runOutcome(count(run.result.matched) ?? 0, count(run.result.started) ?? 0)
                ) : (
                  "—"
                ),
            },
          ]}
        />
      )}
    </QueryState>
  );
}
