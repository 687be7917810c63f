import { AppError } from "../../lib/errors";
import { splitPathTemplate, validateTemplate } from "../metadata";
import { isPlainObject } from "./merge";

/** Keys of a metadata layer that hold templates, and the per-platform blocks that may hold them too (render-metadata.ts). */
const TEMPLATE_FIELDS = ["title_template", "description_template", "folder_path"] as const;
const BLOCKS = ["common", "youtube", "vk", "yandex_disk"] as const;

function checkLayer(layer: Record<string, unknown>, path: string): void {
  for (const field of TEMPLATE_FIELDS) {
    const value = layer[field];
    const where = `${path}.${field}`;
    if (value === undefined || value === null) continue;
    if (typeof value !== "string") {
      throw new AppError("VALIDATION_FAILED", `Invalid ${where}: must be a string (a template)`, {
        details: [{ path: where, message: "must be a string (a template)", code: "invalid_type", location: "json" }],
      });
    }
    validateTemplate(value, where);
    // A folder path is rendered folder by folder (render-metadata.ts): no tag may span a "/".
    if (field === "folder_path") for (const segment of splitPathTemplate(value)) validateTemplate(segment, where);
  }
}

/**
 * Checks every metadata template of a config layer (a template's or a recording's
 * `metadata_config`, the user config's `metadata`) the way presets are checked when saved: the
 * 400 names the field (`metadata_config.youtube.title_template`) and the line and column of the
 * problem, instead of a fallback title at upload time.
 */
export function assertMetadataTemplates(metadata: unknown, path: string): void {
  if (!isPlainObject(metadata)) return;
  checkLayer(metadata, path);
  for (const block of BLOCKS) {
    const nested = metadata[block];
    if (isPlainObject(nested)) checkLayer(nested, `${path}.${block}`);
  }
}
