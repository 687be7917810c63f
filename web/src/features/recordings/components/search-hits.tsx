import { Anchor, Badge, Card, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useFullTextSearch } from "../api/search-queries";
import { SearchSnippet } from "./search-snippet";

/** What the full-text search found for the list's search words: snippets, each a link to its second. */
export function SearchHits({ q }: { q: string }) {
  const { t, duration } = useI18n();
  const search = useFullTextSearch(q);
  return (
    <Card withBorder mb="md" component="section" aria-labelledby="search-hits-title">
      <Title order={2} size="h4" id="search-hits-title" mb="xs">
        {t.recordings.hitsTitle}
      </Title>
      {search.error ? (
        <ErrorAlert error={search.error} onRetry={() => void search.refetch()} />
      ) : !search.data ? (
        <Loader size="sm" role="status" aria-label={t.app.loading} />
      ) : search.data.results.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t.recordings.noHits}
        </Text>
      ) : (
        <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
          {search.data.results.map((result) => (
            <li key={result.recording_id}>
              <Anchor fw={600} renderRoot={(props) => <Link {...props} to="/recordings/$recordingId" params={{ recordingId: String(result.recording_id) }} />}>
                {result.display_name}
              </Anchor>
              <Stack gap={4} mt={4} component="ul" p={0} style={{ listStyle: "none" }}>
                {result.hits.map((hit, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a result's hits are a fixed list
                  <Group key={i} component="li" gap="xs" wrap="nowrap" align="flex-start">
                    <Badge variant="outline" color="gray" size="sm" style={{ flexShrink: 0 }}>
                      {t.recordings.hitFields[hit.field]}
                    </Badge>
                    <Stack gap={2}>
                      <SearchSnippet snippet={hit.snippet} />
                      {hit.seconds !== null && (
                        <Anchor
                          size="sm"
                          aria-label={t.recordings.playFrom(result.display_name, duration(hit.seconds))}
                          renderRoot={(props) => (
                            <Link {...props} to="/recordings/$recordingId" params={{ recordingId: String(result.recording_id) }} search={{ t: Math.floor(hit.seconds ?? 0) }} />
                          )}
                        >
                          ▶ {duration(hit.seconds)}
                        </Anchor>
                      )}
                    </Stack>
                  </Group>
                ))}
              </Stack>
            </li>
          ))}
        </Stack>
      )}
    </Card>
  );
}
