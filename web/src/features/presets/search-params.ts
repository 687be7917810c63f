import type { PresetPlatform } from "./api/presets-queries";
import { PLATFORMS } from "./preset-form-values";

export interface NewPresetSearch {
  platform?: PresetPlatform;
}

/** /presets/new?platform=vk opens the editor on that platform. */
export function validateNewPresetSearch(raw: Record<string, unknown>): NewPresetSearch {
  const platform = PLATFORMS.find((p) => p === raw.platform);
  return platform ? { platform } : {};
}
