import { Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { abortUploadSession, uploadKeys, useUploadSession } from "../api/upload-queries";
import { type UnfinishedUpload, unfinishedUploads } from "../model/unfinished-store";

/** Uploads kept from an earlier visit: what the server has of each, and a way to discard them. */
export function UnfinishedUploads({ uploads }: { uploads: UnfinishedUpload[] }) {
  const { t } = useI18n();
  return (
    <Stack gap="xs" component="section" aria-labelledby="unfinished-uploads-title">
      <Title order={2} size="h3" id="unfinished-uploads-title">
        {t.upload.unfinishedTitle}
      </Title>
      <Text size="sm" c="dimmed">
        {t.upload.unfinishedIntro}
      </Text>
      {uploads.map((upload) => (
        <UnfinishedRow key={upload.uploadId} upload={upload} />
      ))}
    </Stack>
  );
}

function UnfinishedRow({ upload }: { upload: UnfinishedUpload }) {
  const { t, bytes } = useI18n();
  const queryClient = useQueryClient();
  const session = useUploadSession(upload.uploadId);
  // Finished, aborted or unknown on the server (another account, another database): nothing left to resume.
  const closed =
    (session.error instanceof ApiError && session.error.status === 404) || (session.data !== undefined && session.data.status !== "uploading");
  useEffect(() => {
    if (closed) unfinishedUploads.remove(upload.uploadId);
  }, [closed, upload.uploadId]);
  const discard = useMutation({
    mutationFn: () => abortUploadSession(upload.uploadId),
    onSettled: () => {
      unfinishedUploads.remove(upload.uploadId);
      queryClient.removeQueries({ queryKey: uploadKeys.session(upload.uploadId) });
      void queryClient.invalidateQueries({ queryKey: ["recordings"] });
    },
  });
  return (
    <Paper withBorder p="sm" radius="md">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Text fw={600} style={{ overflowWrap: "anywhere" }}>
            {upload.fileName}
          </Text>
          <Text size="sm" c="dimmed">
            {bytes(upload.size)} ·{" "}
            {session.data ? t.upload.unfinishedParts(session.data.uploaded_parts.length, session.data.part_count) : t.upload.unfinishedChecking}
          </Text>
        </div>
        <Button variant="default" size="xs" aria-label={t.upload.discardLabel(upload.fileName)} loading={discard.isPending} onClick={() => discard.mutate()}>
          {t.upload.discard}
        </Button>
      </Group>
    </Paper>
  );
}
