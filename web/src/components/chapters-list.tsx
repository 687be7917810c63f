import { Stack, Text, UnstyledButton } from "@mantine/core";
import { formatClock } from "../lib/format";

export interface Chapter {
  title: string;
  start: number;
}

/** Chapters as buttons that move the video to their start. */
export function ChaptersList({ chapters, onSeek, label }: { chapters: Chapter[]; onSeek: (seconds: number) => void; label: string }) {
  return (
    <Stack component="ol" gap={4} m={0} p={0} aria-label={label} style={{ listStyle: "none" }}>
      {chapters.map((chapter) => (
        <li key={`${chapter.start}-${chapter.title}`}>
          <UnstyledButton onClick={() => onSeek(chapter.start)} className="lp-seek-row" w="100%" p={6}>
            <Text span ff="monospace" size="sm" c="dimmed" mr="sm">
              {formatClock(chapter.start)}
            </Text>
            <Text span size="sm">
              {chapter.title}
            </Text>
          </UnstyledButton>
        </li>
      ))}
    </Stack>
  );
}
