import type { ConfigLayer } from "../../config/resolve";
import { ProviderError } from "../../../integrations/provider-error";
import { log } from "../../../lib/logger";
import { storageKeys } from "../../../lib/storage-keys";
import { recordStoredBytes } from "../../quotas/run-slots";
import { resolveRecordingConfig } from "../../recordings/recording-config.service";
import { findLongPauses } from "../../topics/long-pauses";
import { topicProviders } from "../../topics/llm-providers";
import { topicCounts } from "../../topics/topic-counts";
import { buildTopicMessages } from "../../topics/topic-prompt";
import { parseTopicResponse, TopicResponseError } from "../../topics/topic-response";
import type { TopicGranularity } from "../../topics/types";
import { addVersion, versionFromParsed, type TopicsVersionsFile } from "../../topics/versions";
import { loadTranscript, putArtifact } from "../../transcripts/storage";
import { PermanentStageError } from "../stage-errors";
import type { StageExecutor } from "../stage-executor";

/**
 * Topics and summary (§5.5 with its → fixes): LEAP's prompt semantics, JSON output where the
 * provider has it (LEAP's text format parsed as the fallback), each provider's error falling
 * through to the next, and the stage failing when all fail. Every run adds a new active version.
 */
export const topicsStage: StageExecutor = {
  maxAttempts: 4,
  leaseMs: 15 * 60_000,

  async step({ ctx, recording, run, progress }) {
    const transcript = await loadTranscript(ctx, recording);
    const { effective: config } = await resolveRecordingConfig(ctx, recording, (run.overrides ?? undefined) as ConfigLayer | undefined);
    const granularity = config.transcription.granularity as TopicGranularity;
    const providers = await topicProviders(ctx, recording.userId, config);
    if (providers.length === 0) {
      throw new PermanentStageError(`Topic extraction needs a credential of one of: ${config.transcription.topics_providers.join(", ")}`);
    }
    const duration = Math.max(transcript.duration, transcript.segments.at(-1)?.end ?? 0);
    const spacing = topicCounts(duration / 60, granularity).minSpacingMinutes * 60;
    const failures: string[] = [];
    let retryable = false;
    for (const provider of providers) {
      const jsonMode = provider.supportsJsonMode;
      const messages = buildTopicMessages({ transcript: transcript.segments, displayName: recording.displayName, granularity, language: transcript.language, jsonMode, durationSeconds: duration });
      try {
        const answer = await provider.complete(messages, { jsonMode, maxTokens: 8000 });
        const parsed = parseTopicResponse(answer.content, { totalDuration: duration, minSpacingSeconds: spacing, jsonMode });
        const key = storageKeys.topics(recording.userId, recording.id);
        const existing = await ctx.env.MEDIA.get(key);
        const file = addVersion(
          existing ? ((await existing.json()) as TopicsVersionsFile) : null,
          versionFromParsed(parsed, { model: answer.model, provider: provider.name, granularity, createdAt: ctx.clock.now().toISOString(), pauses: findLongPauses(transcript.segments) }),
        );
        await recordStoredBytes(ctx, recording.userId, await putArtifact(ctx, key, JSON.stringify(file), "application/json; charset=utf-8"));
        Object.assign(progress, { version_id: file.active_version, granularity, provider: provider.name, model: answer.model, usage: answer.usage, fallbacks: failures });
        log.info("topics extracted", { recordingId: recording.id, provider: provider.name, topics: parsed.topics.length, failures: failures.length });
        return {
          done: true,
          recording: { mainTopics: parsed.mainTopic ? [parsed.mainTopic] : [], topicTimestamps: parsed.topics, topicsSummary: parsed.summary },
        };
      } catch (error) {
        if (error instanceof ProviderError && error.retryable) retryable = true;
        else if (!(error instanceof ProviderError) && !(error instanceof TopicResponseError)) throw error;
        failures.push(error instanceof Error ? error.message : String(error));
        log.warn("topic provider failed; trying the next", { recordingId: recording.id, provider: provider.name, reason: failures.at(-1) });
      }
    }
    const reason = `Every topics provider failed: ${failures.join("; ")}`;
    if (retryable) throw new ProviderError("topics", reason, true);
    throw new PermanentStageError(reason);
  },
};
