import { Anchor, Stack, Table, Text, Title } from "@mantine/core";
import type { RecordingDetail } from "../api/recordings-queries";
import { useI18n } from "../../../i18n/i18n-provider";

type Output = RecordingDetail["outputs"][number];

const linkOf = (o: Output) => {
  const url = o.target_meta?.video_url ?? o.target_meta?.public_url;
  // http too: a local sandbox's simulated YouTube (YOUTUBE_WATCH_BASE_URL) answers on plain http.
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : null;
};

export function OutputsList({ outputs }: { outputs: Output[] }) {
  const { t, dateTime } = useI18n();
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {t.detail.outputs}
      </Title>
      {outputs.length === 0 ? (
        <Text c="dimmed">{t.detail.noOutputs}</Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t.detail.platform}</Table.Th>
                <Table.Th>{t.detail.status}</Table.Th>
                <Table.Th>{t.detail.updated}</Table.Th>
                <Table.Th>{t.detail.error}</Table.Th>
                <Table.Th>{t.detail.open}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outputs.map((o) => {
                const link = linkOf(o);
                return (
                  <Table.Tr key={o.id}>
                    <Table.Td>{o.target_type}</Table.Td>
                    <Table.Td>{t.detail.runStatus[o.status] ?? o.status}</Table.Td>
                    <Table.Td>{dateTime(o.uploaded_at)}</Table.Td>
                    <Table.Td>{o.failed_reason ?? t.detail.none}</Table.Td>
                    <Table.Td>
                      {link ? (
                        <Anchor href={link} target="_blank" rel="noopener noreferrer">
                          {t.detail.open}
                        </Anchor>
                      ) : (
                        t.detail.none
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
