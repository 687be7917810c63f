import { describe, expect, it } from "vitest";
import { configSources } from "../src/services/config/config-sources";
import { resolveConfig, type ResolveInput } from "../src/services/config/resolve";

const sourcesOf = (input: Omit<ResolveInput, "request">) => configSources(input, resolveConfig(input));

describe("configSources", () => {
  it("names the defaults for every leaf when nothing overrides them; arrays, nulls and empty objects are leaves", () => {
    const sources = sourcesOf({ user: {} });
    expect(sources["processing.enable_processing"]).toBe("default");
    expect(sources["transcription.subtitle_formats"]).toBe("default");
    expect(sources["metadata.thumbnail_name"]).toBe("default");
    expect(sources["upload.default_preset_ids"]).toBe("default");
    expect(sources["metadata.topics_display.format"]).toBe("default");
    expect(Object.keys(sources)).not.toContain("metadata.topics_display");
    expect(Object.keys(sources)).not.toContain("transcription.subtitle_formats.0");
    expect(new Set(Object.values(sources))).toEqual(new Set(["default"]));
  });

  it("gives each leaf to the highest layer that sets it; null inherits, false/0/''/[] win", () => {
    const sources = sourcesOf({
      user: { transcription: { language: "en", prompt: "" }, processing: { padding_before: 0 } },
      template: { processing_config: { transcription: { language: "de", enable_topics: false } }, output_config: { auto_upload: true } },
      recording: {
        processing_config: { enable_processing: false, transcription: { enable_topics: null, subtitle_formats: [] } },
        metadata_config: { topics_display: { format: "inline" } },
      },
    });
    expect(sources).toMatchObject({
      "transcription.language": "template",
      "transcription.prompt": "user",
      "processing.padding_before": "user",
      "transcription.enable_topics": "template",
      "upload.auto_upload": "template",
      "processing.enable_processing": "recording",
      "transcription.subtitle_formats": "recording",
      "metadata.topics_display.format": "recording",
      "metadata.topics_display.enabled": "default",
      "transcription.provider": "default",
    });
  });

  it("reads LEAP's flat processing keys and the nested `processing` section alike, and adds leaves only layers have", () => {
    const input = {
      user: {},
      template: { processing_config: { processing: { padding_after: 3 } }, metadata_config: { youtube: { privacy: "private" } } },
      recording: { processing_config: { min_silence_duration: 4 }, output_config: { preset_ids: [7] } },
    };
    const effective = resolveConfig(input);
    const sources = configSources(input, effective);
    expect(sources).toMatchObject({
      "processing.padding_after": "template",
      "processing.min_silence_duration": "recording",
      "metadata.youtube.privacy": "template",
      "upload.preset_ids": "recording",
    });
    // Exactly one source per leaf of the effective config.
    const leaves: string[] = [];
    const walk = (value: unknown, path: string) =>
      typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 0
        ? Object.entries(value).forEach(([key, child]) => walk(child, path ? `${path}.${key}` : key))
        : leaves.push(path);
    walk(effective, "");
    expect(Object.keys(sources).sort()).toEqual(leaves.sort());
  });
});
