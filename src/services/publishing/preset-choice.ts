import type { UploadSettings } from "../config/defaults";

/** A preset an upload run publishes with; `platform` when it was chosen as that platform's default. */
export interface ChosenPreset {
  id: number;
  platform?: string;
}

/**
 * The presets an upload publishes with: the template's / recording's / request's
 * `output_config.preset_ids` when set; otherwise the user's `upload.default_preset_ids` of the
 * platforms in `upload.default_platforms` (of every platform that has a default, when
 * default_platforms is empty). A default must be a preset of its platform; the upload stage checks.
 */
export function chosenPresets(upload: Pick<UploadSettings, "preset_ids" | "default_platforms" | "default_preset_ids">): ChosenPreset[] {
  if (upload.preset_ids && upload.preset_ids.length > 0) return [...new Set(upload.preset_ids)].map((id) => ({ id }));
  const defaults = upload.default_preset_ids ?? {};
  const platforms = upload.default_platforms.length > 0 ? upload.default_platforms : Object.keys(defaults);
  const chosen: ChosenPreset[] = [];
  for (const platform of platforms) {
    const id = defaults[platform];
    if (typeof id === "number" && !chosen.some((c) => c.id === id)) chosen.push({ id, platform });
  }
  return chosen;
}
