import { ScrollArea, Stack, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useDeferredValue, useMemo, useState } from "react";
import { formatClock } from "../lib/format";

export interface Segment {
  start: number;
  text: string;
}

/** Lower case, Latin diacritics dropped and ё read as е: what a reader expects a search box to ignore. */
const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u0302\u0304-\u0307\u0309-\u036f]/g, "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/ё/g, "е");

interface Labels {
  search: string;
  list: string;
  noMatches: string;
}

/** The transcript's segments, filtered by a search box; a click moves the video to the segment. */
export function TranscriptPanel({ segments, onSeek, labels }: { segments: Segment[]; onSeek: (seconds: number) => void; labels: Labels }) {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const shown = useMemo(() => {
    const words = fold(deferred).split(/\s+/).filter(Boolean);
    if (words.length === 0) return segments;
    return segments.filter((s) => {
      const text = fold(s.text);
      return words.every((w) => text.includes(w));
    });
  }, [segments, deferred]);
  return (
    <Stack gap="xs">
      <TextInput type="search" label={labels.search} value={query} onChange={(e) => setQuery(e.currentTarget.value)} />
      {shown.length === 0 ? (
        <Text c="dimmed" size="sm" role="status">
          {labels.noMatches}
        </Text>
      ) : (
        <ScrollArea.Autosize mah={360} type="auto">
          <Stack component="ul" gap={2} m={0} p={0} aria-label={labels.list} style={{ listStyle: "none" }}>
            {shown.map((segment) => (
              <li key={`${segment.start}-${segment.text.slice(0, 24)}`}>
                <UnstyledButton onClick={() => onSeek(segment.start)} className="lp-seek-row" w="100%" p={6}>
                  <Text span ff="monospace" size="sm" c="dimmed" mr="sm">
                    {formatClock(segment.start)}
                  </Text>
                  <Text span size="sm">
                    {segment.text}
                  </Text>
                </UnstyledButton>
              </li>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}
