import { Badge, Table, Text } from "@mantine/core";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useTemplates } from "../api/templates-queries";

export function TemplatesPage() {
  const { t, number } = useI18n();
  const templates = useTemplates();
  return (
    <>
      <PageTitle title={t.templates.title} intro={t.templates.intro} />
      <QueryState query={templates}>
        {(items) =>
          items.length === 0 ? (
            <Text c="dimmed">{t.templates.empty}</Text>
          ) : (
            <Table.ScrollContainer minWidth={400}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t.templates.name}</Table.Th>
                    <Table.Th>{t.detail.status}</Table.Th>
                    <Table.Th>{t.templates.matched}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((tpl) => (
                    <Table.Tr key={tpl.id}>
                      <Table.Td>{tpl.name}</Table.Td>
                      <Table.Td>
                        <Badge color={tpl.is_active ? "green" : "gray"} variant="outline">
                          {tpl.is_active ? t.templates.active : t.templates.inactive}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{number(tpl.used_count)}</Table.Td>
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
