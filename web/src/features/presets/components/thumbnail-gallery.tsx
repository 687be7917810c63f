import "@mantine/dropzone/styles.css";
import { ActionIcon, Alert, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Dropzone, type FileRejection, MIME_TYPES } from "@mantine/dropzone";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { type Thumbnail, useDeleteThumbnail, useThumbnails, useUploadThumbnail } from "../api/thumbnails-queries";
import { ConfirmDelete } from "./confirm-delete";
import { ThumbnailImage } from "./thumbnail-image";

const MAX_BYTES = 2 * 1024 * 1024;

/** The caller's thumbnails and the shared ones: drop an image to upload, delete one's own. */
export function ThumbnailGallery() {
  const { t } = useI18n();
  const thumbnails = useThumbnails();
  return (
    <Stack gap="sm" component="section" aria-labelledby="thumbnails-heading">
      <Title order={2} size="h3" id="thumbnails-heading">
        {t.presets.thumbnails.title}
      </Title>
      <Text size="sm" c="dimmed">
        {t.presets.thumbnails.intro}
      </Text>
      <ThumbnailDropzone />
      <QueryState query={thumbnails}>{(items) => <ThumbnailGrid items={items} />}</QueryState>
    </Stack>
  );
}

function ThumbnailDropzone() {
  const { t } = useI18n();
  const upload = useUploadThumbnail();
  const [problem, setProblem] = useState<string | null>(null);

  const onDrop = (files: File[]) => {
    const file = files[0];
    if (!file) return;
    setProblem(null);
    upload.mutate(file, {
      onSuccess: (stored) => notifications.show({ color: "green", message: t.presets.thumbnails.uploaded(stored.name) }),
      onError: (error) => {
        if (error instanceof ApiError && error.status === 415) setProblem(t.presets.thumbnails.wrongType(file.name));
        else if (error instanceof ApiError && error.status === 413) setProblem(t.presets.thumbnails.tooLarge(file.name));
        else if (error instanceof ApiError && error.status === 409) setProblem(t.presets.thumbnails.exists(file.name));
        else setProblem(error instanceof ApiError ? error.message : t.app.genericError);
      },
    });
  };

  const onReject = (rejections: FileRejection[]) => {
    const first = rejections[0];
    if (!first) return;
    const codes = first.errors.map((e) => e.code);
    if (codes.includes("file-too-large")) setProblem(t.presets.thumbnails.tooLarge(first.file.name));
    else if (codes.includes("file-invalid-type")) setProblem(t.presets.thumbnails.wrongType(first.file.name));
    else setProblem(t.presets.thumbnails.oneAtATime);
  };

  return (
    <Stack gap="xs">
      <Dropzone
        onDrop={onDrop}
        onReject={onReject}
        accept={[MIME_TYPES.png, MIME_TYPES.jpeg]}
        maxSize={MAX_BYTES}
        multiple={false}
        loading={upload.isPending}
        inputProps={{ "aria-label": t.presets.thumbnails.dropLabel }}
      >
        <Group justify="center" mih={80} style={{ pointerEvents: "none" }}>
          <Text ta="center">{t.presets.thumbnails.drop}</Text>
        </Group>
      </Dropzone>
      {problem && (
        <Alert color="red" role="alert" withCloseButton closeButtonLabel={t.presets.close} onClose={() => setProblem(null)}>
          {problem}
        </Alert>
      )}
    </Stack>
  );
}

function ThumbnailGrid({ items }: { items: Thumbnail[] }) {
  const { t, bytes } = useI18n();
  const remove = useDeleteThumbnail();
  const [confirming, setConfirming] = useState<Thumbnail | null>(null);
  if (items.length === 0) return <Text c="dimmed">{t.presets.thumbnails.empty}</Text>;

  const confirm = () => {
    if (!confirming) return;
    remove.mutate(confirming.name, {
      onSuccess: () => {
        setConfirming(null);
        notifications.show({ color: "green", message: t.presets.thumbnails.deleted });
      },
      onError: (error) => notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }),
    });
  };

  return (
    <>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }} spacing="sm" component="ul" aria-label={t.presets.thumbnails.gallery} style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {items.map((thumbnail) => (
          <Card key={`${thumbnail.is_template}:${thumbnail.name}`} withBorder padding="xs" component="li">
            <Card.Section>
              <ThumbnailImage thumbnail={thumbnail} />
            </Card.Section>
            <Group justify="space-between" gap={4} mt="xs" wrap="nowrap">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" fw={500} truncate>
                  {thumbnail.name}
                </Text>
                <Group gap={4}>
                  <Text size="xs" c="dimmed">
                    {bytes(thumbnail.size_bytes)}
                  </Text>
                  {thumbnail.is_template && (
                    <Badge size="xs" variant="outline" color="gray">
                      {t.presets.thumbnails.shared}
                    </Badge>
                  )}
                </Group>
              </Stack>
              {!thumbnail.is_template && (
                <ActionIcon variant="subtle" color="red.9" aria-label={t.presets.thumbnails.deleteLabel(thumbnail.name)} onClick={() => setConfirming(thumbnail)}>
                  <span aria-hidden="true">✕</span>
                </ActionIcon>
              )}
            </Group>
          </Card>
        ))}
      </SimpleGrid>
      <ConfirmDelete
        opened={confirming !== null}
        title={t.presets.thumbnails.deleteTitle}
        text={t.presets.thumbnails.deleteText(confirming?.name ?? "")}
        pending={remove.isPending}
        onConfirm={confirm}
        onClose={() => setConfirming(null)}
      />
    </>
  );
}
