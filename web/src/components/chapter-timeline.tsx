import { Box, UnstyledButton } from "@mantine/core";
import { useEffect, useState, type RefObject } from "react";
import { formatClock } from "../lib/format";
import type { Chapter } from "./chapters-list";

/**
 * The chapters as marks on a timeline under the player, with the played part filled in: each mark
 * is a button that moves the video to its chapter. Shown once the video's duration is known.
 */
export function ChapterTimeline({ chapters, videoRef, onSeek, label }: { chapters: Chapter[]; videoRef: RefObject<HTMLVideoElement | null>; onSeek: (seconds: number) => void; label: string }) {
  const [duration, setDuration] = useState(0);
  const [position, setPosition] = useState(0);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const read = () => {
      setDuration(Number.isFinite(video.duration) ? video.duration : 0);
      setPosition(video.currentTime);
    };
    read();
    const events = ["loadedmetadata", "durationchange", "timeupdate", "seeked"] as const;
    for (const event of events) video.addEventListener(event, read);
    return () => {
      for (const event of events) video.removeEventListener(event, read);
    };
  }, [videoRef]);

  if (duration <= 0 || chapters.length === 0) return null;
  const at = (seconds: number) => `${(Math.min(Math.max(seconds, 0), duration) / duration) * 100}%`;
  return (
    <Box role="group" aria-label={label} pos="relative" h={24}>
      <Box pos="absolute" top={10} left={0} right={0} h={4} bg="gray.3" style={{ borderRadius: 2 }} aria-hidden />
      <Box pos="absolute" top={10} left={0} w={at(position)} h={4} bg="indigo.7" style={{ borderRadius: 2 }} aria-hidden />
      {chapters.map((chapter) => (
        <UnstyledButton
          key={`${chapter.start}-${chapter.title}`}
          onClick={() => onSeek(chapter.start)}
          aria-label={`${formatClock(chapter.start)} ${chapter.title}`}
          title={`${formatClock(chapter.start)} ${chapter.title}`}
          className="lp-chapter-mark"
          pos="absolute"
          top={2}
          left={at(chapter.start)}
          w={12}
          h={20}
          style={{ transform: "translateX(-50%)" }}
        />
      ))}
    </Box>
  );
}
