import { Alert, Badge, Group, List, Loader, Paper, Select, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import type { DraftPreview } from "../api/presets-queries";

export interface RecordingOption {
  value: string;
  label: string;
}

interface Props {
  recordings: RecordingOption[] | undefined;
  recordingId: string | null;
  onRecordingChange: (id: string | null) => void;
  preview: DraftPreview | undefined;
  fetching: boolean;
  /** The templates have errors (shown at their lines): the preview waits for a fix. */
  blocked: boolean;
  /** Any other failure of the preview call. */
  error: unknown;
}

/** What publishing the picked recording with the preset as typed would send, refreshed while typing. */
export function PreviewPanel({ recordings, recordingId, onRecordingChange, preview, fetching, blocked, error }: Props) {
  const { t } = useI18n();
  const p = t.presets.preview;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="preset-preview-heading">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="preset-preview-heading">
            {p.title}
          </Title>
          {fetching && <Loader size="xs" role="status" aria-label={p.updating} />}
        </Group>
        {recordings !== undefined && recordings.length === 0 ? (
          <Text c="dimmed">{p.noRecordings}</Text>
        ) : (
          <Select label={p.recording} data={recordings ?? []} value={recordingId} onChange={onRecordingChange} searchable allowDeselect={false} placeholder={p.pickRecording} />
        )}
        {blocked ? (
          <Alert color="yellow" variant="light">
            {p.fixTemplate}
          </Alert>
        ) : error ? (
          <ErrorAlert error={error} />
        ) : (
          preview && <PreviewBody preview={preview} stale={fetching} />
        )}
      </Stack>
    </Paper>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      {children}
    </div>
  );
}

function PreviewBody({ preview, stale }: { preview: DraftPreview; stale: boolean }) {
  const { t } = useI18n();
  const p = t.presets.preview;
  const labels: Record<string, string> = t.presets.youtube.privacyOptions;
  const youtubePrivacy = (value: string) => (preview.platform === "youtube" ? (labels[value] ?? value) : value);
  return (
    <Stack gap="sm" aria-busy={stale} data-testid="preset-preview" style={{ opacity: stale ? 0.7 : 1 }}>
      <Row label={p.videoTitle}>
        <Text fw={600} aria-label={p.videoTitle}>
          {preview.title || p.empty}
        </Text>
      </Row>
      <Row label={p.videoDescription}>
        <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          {preview.description || p.empty}
        </Text>
      </Row>
      {preview.tags.length > 0 && (
        <Row label={p.tags}>
          <Group gap={4}>
            {preview.tags.map((tag) => (
              <Badge key={tag} variant="outline" color="gray" tt="none">
                {tag}
              </Badge>
            ))}
          </Group>
        </Row>
      )}
      {preview.privacy && (
        <Row label={p.privacy}>
          <Text size="sm">{youtubePrivacy(preview.privacy)}</Text>
        </Row>
      )}
      {preview.playlist_id && <Row label={p.playlist}><Text size="sm">{preview.playlist_id}</Text></Row>}
      {preview.album_id && <Row label={p.album}><Text size="sm">{preview.album_id}</Text></Row>}
      {preview.path && <Row label={p.path}><Text size="sm" style={{ overflowWrap: "anywhere" }}>{preview.path}</Text></Row>}
      {preview.thumbnail && <Row label={p.thumbnail}><Text size="sm">{preview.thumbnail.name}</Text></Row>}
      {preview.warnings.length > 0 && (
        <Row label={p.warnings}>
          <List size="sm">
            {preview.warnings.map((w) => (
              <List.Item key={w.code + w.message}>{w.message}</List.Item>
            ))}
          </List>
        </Row>
      )}
    </Stack>
  );
}
