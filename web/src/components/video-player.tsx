import { AspectRatio } from "@mantine/core";
import { useEffect, useRef, type RefObject } from "react";

interface Props {
  /** A signed, short-lived URL; a new one replaces it in place, keeping the position and play state. */
  src: string;
  label: string;
  videoRef: RefObject<HTMLVideoElement | null>;
  /** WebVTT captions (a signed URL too), when there are any. */
  captions?: { src: string; label: string; language: string } | null;
  /** The element failed to load or play its source (an expired URL, a network error). */
  onMediaError?: () => void;
}

/**
 * A native <video> over a signed URL. The source is set imperatively: when a renewed URL arrives,
 * the old position is read before the element reloads and restored once the new source's metadata
 * is known, so renewing the URL never jumps back to the start.
 */
export function VideoPlayer({ src, label, videoRef, captions, onMediaError }: Props) {
  const onError = useRef(onMediaError);
  onError.current = onMediaError;

  useEffect(() => {
    const video = videoRef.current;
    if (!video || video.getAttribute("src") === src) return;
    const position = video.currentSrc ? video.currentTime : 0;
    const playing = video.currentSrc !== "" && !video.paused && !video.ended;
    video.src = src;
    if (position > 0 || playing) {
      video.addEventListener(
        "loadedmetadata",
        () => {
          video.currentTime = position;
          if (playing) void video.play().catch(() => undefined);
        },
        { once: true },
      );
    }
  }, [src, videoRef]);

  return (
    <AspectRatio ratio={16 / 9} bg="black">
      {/* biome-ignore lint/a11y/useMediaCaption: captions are added when the recording has subtitles; lectures without them have none to offer */}
      <video ref={videoRef} controls preload="metadata" aria-label={label} onError={() => onError.current?.()} style={{ width: "100%", height: "100%" }}>
        {captions && <track kind="captions" src={captions.src} label={captions.label} srcLang={captions.language} default />}
      </video>
    </AspectRatio>
  );
}

/** Moves the video to a second and plays from there (a click is a user gesture, so play is allowed). */
export function seekVideo(video: HTMLVideoElement | null, seconds: number): void {
  if (!video) return;
  video.currentTime = seconds;
  void video.play().catch(() => undefined);
  video.focus();
}
