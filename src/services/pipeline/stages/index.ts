import type { StageType } from "../../../db/repositories/stages.repository";
import type { StageExecutor } from "../stage-executor";
import { downloadStage } from "./download";
import { subtitlesStage } from "./subtitles";
import { topicsStage } from "./topics";
import { transcribeStage } from "./transcribe";
import { trimStage } from "./trim";
import { uploadStage } from "./upload";

/**
 * The stages this deployment can execute. A stage the configuration enables but that has no
 * executor here is planned as skipped with a reason, so dry runs and runs say plainly what
 * will and will not happen.
 */
const EXECUTORS: Partial<Record<StageType, StageExecutor>> = {
  DOWNLOAD: downloadStage,
  TRANSCRIBE: transcribeStage,
  TRIM: trimStage,
  EXTRACT_TOPICS: topicsStage,
  GENERATE_SUBTITLES: subtitlesStage,
  UPLOAD: uploadStage,
};

export const executorFor = (stage: StageType): StageExecutor | undefined => EXECUTORS[stage];
