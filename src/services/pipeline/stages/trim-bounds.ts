/** Where sound starts and ends, in seconds of the source. */
export interface SoundSpan {
  start: number;
  end: number;
}

/** The edge silences the decision looked at, and whether each was long enough to count. */
export interface EdgeSilences {
  leading: number;
  trailing: number;
  leadingCounts: boolean;
  trailingCounts: boolean;
}

/**
 * LEAP's `min_silence_duration` (ffmpeg silencedetect's `d`): a stretch without sound is a silence
 * only when it lasts at least that long, and only a silence touching the start or the end is cut
 * (LEAP §5.7: first_sound is the end of the first silence if it starts at 0, last_sound the start of
 * the last one if it reaches the end). A shorter gap at an edge is kept: the span is widened to
 * the file's edge there, exactly as silencedetect would not have reported it.
 *
 * "Without sound" here means no real word in the transcript, or digital silence in the AAC frames
 * (the caller folds both into `sound`), not a loudness level: gaps between words inside the lecture
 * are never cut, so a 2 s pause mid-sentence cannot move the edges.
 */
export function applyMinSilence(sound: SoundSpan, duration: number, minSilence: number): { span: SoundSpan; silences: EdgeSilences } {
  const leading = Math.max(0, sound.start);
  const trailing = Math.max(0, duration - sound.end);
  const leadingCounts = leading > 0 && leading >= minSilence;
  const trailingCounts = trailing > 0 && trailing >= minSilence;
  return {
    span: { start: leadingCounts ? sound.start : 0, end: trailingCounts ? sound.end : duration },
    silences: { leading, trailing, leadingCounts, trailingCounts },
  };
}
