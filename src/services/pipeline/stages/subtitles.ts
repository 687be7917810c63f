import type { ConfigLayer } from "../../config/resolve";
import { storageKeys } from "../../../lib/storage-keys";
import { recordStoredBytes } from "../../quotas/run-slots";
import { resolveRecordingConfig } from "../../recordings/recording-config.service";
import { buildCues } from "../../subtitles/cues";
import { toSrt, toVtt } from "../../subtitles/formats";
import { dropHallucinations } from "../../transcripts/normalize";
import { loadTranscript, putArtifact } from "../../transcripts/storage";
import type { StageExecutor } from "../stage-executor";

const RENDER = { srt: { render: toSrt, type: "application/x-subrip; charset=utf-8" }, vtt: { render: toVtt, type: "text/vtt; charset=utf-8" } } as const;

/**
 * Subtitles from the transcript's segments (hallucinated credits left out): ≤ 42 characters per
 * line, ≤ 2 lines per cue, a new cue instead of dropping words (⚠ LEAP dropped them), in each
 * configured format (`transcription.subtitle_formats`), stored in R2 as UTF-8.
 */
export const subtitlesStage: StageExecutor = {
  maxAttempts: 3,
  leaseMs: 5 * 60_000,

  async step({ ctx, recording, run, progress }) {
    const transcript = await loadTranscript(ctx, recording);
    const { effective: config } = await resolveRecordingConfig(ctx, recording, (run.overrides ?? undefined) as ConfigLayer | undefined);
    const formats = config.transcription.subtitle_formats.length > 0 ? config.transcription.subtitle_formats : ["srt" as const, "vtt" as const];
    const cues = buildCues(dropHallucinations(transcript.segments), { words: transcript.words });
    let added = 0;
    for (const format of formats) {
      added += await putArtifact(ctx, storageKeys.subtitles(recording.userId, recording.id, format), RENDER[format].render(cues), RENDER[format].type);
    }
    await recordStoredBytes(ctx, recording.userId, added);
    Object.assign(progress, { formats, cues: cues.length });
    return { done: true, recording: { subtitlesInfo: { formats, cues: cues.length } } };
  },
};
