import { Anchor, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { RecordingDetail } from "../api/recordings-queries";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useRetryExtras, useRetryUpload, type PublishPlatform } from "../api/publish-queries";
import { PublishForm } from "./publish-form";

type Output = RecordingDetail["outputs"][number];

const linkOf = (o: Output) => {
  const url = o.target_meta?.video_url ?? o.target_meta?.public_url;
  // http too: a local sandbox's simulated YouTube (YOUTUBE_WATCH_BASE_URL) answers on plain http.
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : null;
};

const platformOf = (o: Output) => o.target_type.toLowerCase() as PublishPlatform;

/** Where the recording is published, each output's state with its retry, and a form to publish it once more. */
export function OutputsList({ recordingId, outputs, canPublish, busy }: { recordingId: number; outputs: Output[]; canPublish: boolean; busy: boolean }) {
  const { t, dateTime } = useI18n();
  const p = t.publish;
  const retryUpload = useRetryUpload(recordingId);
  const retryExtras = useRetryExtras(recordingId);
  const feedback = {
    onSuccess: () => notifications.show({ color: "green", message: p.retryStarted }),
    onError: (error: Error) => notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }),
  };
  const platformName = (o: Output) => t.presets.platforms[platformOf(o)] ?? o.target_type;
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {t.detail.outputs}
      </Title>
      {outputs.length === 0 ? (
        <Text c="dimmed">{t.detail.noOutputs}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t.detail.platform}</Table.Th>
                <Table.Th>{t.detail.status}</Table.Th>
                <Table.Th>{t.detail.updated}</Table.Th>
                <Table.Th>{t.detail.error}</Table.Th>
                <Table.Th>{t.detail.open}</Table.Th>
                <Table.Th>{p.actions}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outputs.map((o) => {
                const link = linkOf(o);
                const problems = [o.failed_reason, ...o.extras_failed.map((extra) => p.extraFailed(p.extras[extra] ?? extra, o.extras[extra]?.error ?? null))].filter(Boolean);
                return (
                  <Table.Tr key={o.id}>
                    <Table.Td>{platformName(o)}</Table.Td>
                    <Table.Td>{p.outputStatus[o.status] ?? o.status}</Table.Td>
                    <Table.Td>{dateTime(o.uploaded_at)}</Table.Td>
                    <Table.Td>{problems.length > 0 ? problems.join("; ") : t.detail.none}</Table.Td>
                    <Table.Td>
                      {link ? (
                        <Anchor href={link} target="_blank" rel="noopener noreferrer">
                          {t.detail.open}
                        </Anchor>
                      ) : (
                        t.detail.none
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {o.status === "FAILED" && (
                          <Button size="xs" variant="default" disabled={busy} loading={retryUpload.isPending && retryUpload.variables === platformOf(o)}
                            onClick={() => retryUpload.mutate(platformOf(o), feedback)}
                            aria-label={p.retryOn(platformName(o))}
                          >
                            {p.retry}
                          </Button>
                        )}
                        {o.status === "UPLOADED" && o.extras_failed.length > 0 && (
                          <Button size="xs" variant="default" disabled={busy} loading={retryExtras.isPending && retryExtras.variables === o.id}
                            onClick={() => retryExtras.mutate(o.id, feedback)}
                            aria-label={p.redoExtrasOn(platformName(o))}
                          >
                            {p.redoExtras}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canPublish && <PublishForm recordingId={recordingId} busy={busy} />}
    </Stack>
  );
}
