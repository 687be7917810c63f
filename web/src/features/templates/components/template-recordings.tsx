import { Anchor, List, Stack, Text, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useTemplateRecordings } from "../api/templates-queries";

/** The recordings this template holds now: which ones a save, activation or rematch matched. */
export function TemplateRecordings({ templateId }: { templateId: number }) {
  const { t, dateTime, number } = useI18n();
  const recordings = useTemplateRecordings(templateId);
  return (
    <Stack gap="sm" component="section" aria-labelledby="template-recordings-title">
      <Title order={2} size="h4" id="template-recordings-title">
        {t.templates.ownRecordings}
      </Title>
      <QueryState query={recordings}>
        {(page) =>
          page.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t.templates.ownRecordingsNone}
            </Text>
          ) : (
            <>
              <Text size="sm">{t.templates.ownRecordingsTotal(number(page.total))}</Text>
              <List spacing={6} size="sm" listStyleType="none" aria-label={t.templates.ownRecordings}>
                {page.items.map((recording) => (
                  <List.Item key={recording.id}>
                    <Anchor renderRoot={(props) => <Link {...props} to="/recordings/$recordingId" params={{ recordingId: String(recording.id) }} />}>
                      {recording.display_name}
                    </Anchor>{" "}
                    <Text span size="xs" c="dimmed">
                      {dateTime(recording.start_time)}
                    </Text>
                  </List.Item>
                ))}
              </List>
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
