import { Badge, Table, Text } from "@mantine/core";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { usePresets } from "../api/presets-queries";

export function PresetsPage() {
  const { t, dateTime } = useI18n();
  const presets = usePresets();
  return (
    <>
      <PageTitle title={t.presets.title} intro={t.presets.intro} />
      <QueryState query={presets}>
        {(items) =>
          items.length === 0 ? (
            <Text c="dimmed">{t.presets.empty}</Text>
          ) : (
            <Table.ScrollContainer minWidth={400}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t.presets.name}</Table.Th>
                    <Table.Th>{t.presets.platform}</Table.Th>
                    <Table.Th>{t.detail.status}</Table.Th>
                    <Table.Th>{t.settings.lastUsed}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((p) => (
                    <Table.Tr key={p.id}>
                      <Table.Td>{p.name}</Table.Td>
                      <Table.Td>{p.platform}</Table.Td>
                      <Table.Td>
                        <Badge color={p.is_active ? "green" : "gray"} variant="outline">
                          {p.is_active ? t.templates.active : t.templates.inactive}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{dateTime(p.last_used_at)}</Table.Td>
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
