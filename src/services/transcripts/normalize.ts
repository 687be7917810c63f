/**
 * The transcript normalisation toolkit in one import (provider adapters and pipeline stages use
 * it): segment building, language codes, hallucination filtering, speech bounds, shifting, stats.
 */
export { segmentsFromWords } from "./segment-builder";
export { languageCode, languageName } from "./language";
export { dropHallucinations, isHallucination } from "./hallucinations";
export { hasSpeech, speechBounds, type SpeechBounds } from "./speech-bounds";
export { shiftTranscript } from "./shift";
export { transcriptSummary, type TranscriptSummary } from "./summary";
