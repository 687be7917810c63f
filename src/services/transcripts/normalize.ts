/**
 * The transcript normalisation toolkit in one import for the pipeline stages: segment building,
 * language codes (both in lib/transcripts, where the provider adapters take them from),
 * hallucination filtering, speech bounds, shifting, stats.
 */
export { segmentsFromWords } from "../../lib/transcripts/segment-builder";
export { languageCode, languageName } from "../../lib/transcripts/language";
export { dropHallucinations, isHallucination } from "./hallucinations";
export { hasSpeech, speechBounds, type SpeechBounds } from "./speech-bounds";
export { shiftTranscript } from "./shift";
export { transcriptSummary, type TranscriptSummary } from "./summary";
