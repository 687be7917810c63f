import { Anchor, Badge, Group, List, Loader, Paper, Stack, Text, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import type { LivePreview } from "./use-live-preview";

/** Which recordings the rules in the form would match, as they are typed. */
export function RulesPreview({ preview, templateId }: { preview: LivePreview; templateId: number | null }) {
  const { t, dateTime } = useI18n();
  const { query, enabled, invalid, waiting } = preview;
  const data = enabled && !invalid ? query.data : undefined;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="rules-preview-title" style={{ position: "sticky", top: 72 }}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h4" id="rules-preview-title">
            {t.templates.preview}
          </Title>
          {enabled && waiting && <Loader size="xs" role="status" aria-label={t.templates.previewUpdating} />}
        </Group>
        <Text size="sm" c="dimmed">
          {t.templates.previewIntro}
        </Text>
        <div aria-live="polite">
          {!enabled ? (
            <Text size="sm">{t.templates.previewNoRules}</Text>
          ) : invalid ? (
            <Text size="sm" c="red.8">
              {t.templates.previewInvalid}
            </Text>
          ) : data ? (
            <Text size="sm" fw={500}>
              {data.will_match_count === 0 ? t.templates.previewNone : t.templates.previewCount(data.will_match_count, data.total_checked)}
            </Text>
          ) : null}
        </div>
        {enabled && query.error && !invalid && <ErrorAlert error={query.error} onRetry={() => query.refetch()} />}
        {data && data.will_match.length > 0 && (
          <List spacing={6} size="sm" listStyleType="none" aria-label={t.templates.preview} style={{ opacity: waiting ? 0.6 : 1 }}>
            {data.will_match.map((recording) => (
              <List.Item key={recording.id}>
                <Anchor renderRoot={(props) => <Link {...props} to="/recordings/$recordingId" params={{ recordingId: String(recording.id) }} />}>
                  {recording.display_name}
                </Anchor>{" "}
                <Text span size="xs" c="dimmed">
                  {dateTime(recording.start_time)}
                </Text>
                {recording.template_name && recording.template_id !== templateId && (
                  <Badge ml={6} size="xs" variant="outline" color="gray">
                    {t.templates.currentTemplate(recording.template_name)}
                  </Badge>
                )}
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Paper>
  );
}
