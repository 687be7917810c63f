import { Badge, Code, Table, Text } from "@mantine/core";
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
        {(items) =>
          items.length === 0 ? (
            <Text c="dimmed">{t.automation.empty}</Text>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t.automation.name}</Table.Th>
                    <Table.Th>{t.automation.schedule}</Table.Th>
                    <Table.Th>{t.automation.nextRun}</Table.Th>
                    <Table.Th>{t.detail.status}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((job) => (
                    <Table.Tr key={job.id}>
                      <Table.Td>{job.name}</Table.Td>
                      <Table.Td>
                        <Code>{job.cron_expression}</Code>
                      </Table.Td>
                      <Table.Td>{dateTime(job.next_run_at)}</Table.Td>
                      <Table.Td>
                        <Badge color={job.is_active ? "green" : "gray"} variant="outline">
                          {job.is_active ? t.automation.enabled : t.automation.disabled}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </>
  );
}
