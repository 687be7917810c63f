import { DEFAULT_USER_CONFIG, type DeepReadonly, type UserConfigData } from "./defaults";
import { isPlainObject, resolveLayers } from "./merge";

/** The config-bearing parts of a template, of recording.processing_preferences or of a request body. */
export interface ConfigLayer {
  processing_config?: Record<string, unknown> | null;
  metadata_config?: Record<string, unknown> | null;
  output_config?: Record<string, unknown> | null;
}

export interface ResolveInput {
  /** Stored user overrides, shaped like DEFAULT_USER_CONFIG. */
  user: Record<string, unknown>;
  template?: ConfigLayer | null;
  /** recording.processing_preferences */
  recording?: ConfigLayer | null;
  request?: ConfigLayer | null;
  /** The lowest layer (default: DEFAULT_USER_CONFIG); deploymentDefaults(env) for this deployment's. */
  defaults?: DeepReadonly<UserConfigData>;
}

/** Sections a `processing_config` may carry as nested objects; any other key is a `processing` setting. */
const PROCESSING_CONFIG_SECTIONS = new Set(["processing", "transcription", "download"]);

/**
 * Maps a layer onto user-config sections:
 * - processing_config: `{processing|transcription|download: {...}}` merge into those sections; other
 *   keys (LEAP's flat `{enable_processing, silence_threshold, allow_skipped}`) go into `processing`.
 * - metadata_config → `metadata`; output_config (preset_ids, auto_upload, upload_captions,
 *   default_platforms) → `upload`.
 */
export function layerSections(layer: ConfigLayer | null | undefined): Record<string, unknown> {
  if (!layer) return {};
  const sections: Record<string, Record<string, unknown>> = {};
  const section = (name: string): Record<string, unknown> => (sections[name] ??= {});
  const processing = layer.processing_config;
  if (isPlainObject(processing)) {
    for (const [key, value] of Object.entries(processing)) {
      // null inherits; `__proto__` is never copied; a section key that is not an object carries nothing.
      if (value === null || value === undefined || key === "__proto__") continue;
      if (!PROCESSING_CONFIG_SECTIONS.has(key)) section("processing")[key] = value;
      else if (isPlainObject(value)) sections[key] = resolveLayers(sections[key], value);
    }
  }
  if (isPlainObject(layer.metadata_config)) sections.metadata = layer.metadata_config;
  if (isPlainObject(layer.output_config)) sections.upload = layer.output_config;
  return sections;
}

/**
 * Pipeline configuration: defaults → user → template → recording override → request override.
 * `null` inherits; any other explicit value (false, 0, "", []) wins; objects merge per key.
 * Unlike LEAP, the request's output_config is honoured.
 */
export function resolveConfig(input: ResolveInput): UserConfigData {
  const merged = resolveLayers(
    input.defaults ?? DEFAULT_USER_CONFIG,
    input.user,
    layerSections(input.template),
    layerSections(input.recording),
    layerSections(input.request),
  );
  // The defaults supply every section; stored and override values were validated when written.
  return merged as unknown as UserConfigData;
}

/** What GET /users/me/config shows: the defaults with the stored overrides on top (nothing persisted). */
export function effectiveUserConfig(
  stored: Record<string, unknown> | null | undefined,
  defaults: DeepReadonly<UserConfigData> = DEFAULT_USER_CONFIG,
): UserConfigData {
  return resolveLayers(defaults, stored) as unknown as UserConfigData;
}
