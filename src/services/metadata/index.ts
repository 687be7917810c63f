/** Metadata templating (§6.6) and platform limits: the API the presets and the publishing stage use. */
export { renderMetadata, mergeMetadataLayers, safeTimeZone, splitPathTemplate, type MetadataPlatform, type RenderMetadataInput, type RenderedMetadata } from "./render-metadata";
export { checkTemplate, renderTemplate, TemplateRefusedError, validateTemplate, type TemplateProblem, type TemplateRefusal } from "./template-engine";
export { ALLOWED_FILTERS, ALLOWED_TAGS, TEMPLATE_LIMITS } from "./template-sandbox";
export { TEMPLATE_VARIABLES, type RecordingForMetadata, type TemplateVariable } from "./variables";
export { formatTopicsList, topicsDisplaySchema, TOPICS_FORMATS, type TopicsDisplaySettings } from "./topics-display";
export { formatDate, formatDuration, formatTimecode } from "./formats";
export { limitVk, limitYouTube, limitYouTubeTags, safeFileName, truncateText, VK_LIMITS, YOUTUBE_LIMITS, type MetadataWarning } from "./platform-limits";
