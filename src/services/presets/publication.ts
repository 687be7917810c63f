import type { PresetRow } from "../../db/repositories/presets.repository";
import { forTenant } from "../../db/repositories/tenant";
import { notFound } from "../../lib/errors";
import { effectiveUserConfig } from "../config/resolve";
import type { ServiceContext } from "../context";
import { mergeMetadataLayers, renderMetadata, TemplateRefusedError, type MetadataWarning } from "../metadata";
import { MAX_THUMBNAIL_BYTES, resolveThumbnail, type ResolvedThumbnail } from "../thumbnails/thumbnails.service";

type Json = Record<string, unknown>;

/** One recording published with one preset: everything the upload sends, and why. */
export interface Publication {
  preset_id: number;
  recording_id: number;
  platform: PresetRow["platform"];
  credential_id: number | null;
  title: string;
  description: string;
  tags: string[];
  privacy: string | null;
  playlist_id: string | null;
  album_id: string | null;
  group_id: number | null;
  /** Yandex Disk: the target path. */
  path: string | null;
  thumbnail: ResolvedThumbnail | null;
  publish_at: Date | null;
  /**
   * The platform request: YouTube `{part, notifySubscribers, snippet, status}` (snippet and status
   * are the videos.insert body, the others its query), VK video.save parameters, Yandex Disk
   * `{path, overwrite, publish}`.
   */
  request: Json;
  warnings: MetadataWarning[];
}

const VK_PRIVACY = ["all", "friends", "friends_of_friends", "only_me"] as const;
const YOUTUBE_PRIVACY = ["public", "private", "unlisted"] as const;

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T, field: string, warnings: MetadataWarning[]): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  warnings.push({ code: "setting_ignored", message: `${field} ${JSON.stringify(value)} is not valid; ${fallback} is used` });
  return fallback;
}

const bool = (value: unknown, fallback: boolean): boolean => (typeof value === "boolean" ? value : fallback);
const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : typeof value === "number" ? String(value) : null);
const int = (value: unknown): number | null => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null);

function vkPrivacy(value: unknown, field: string, warnings: MetadataWarning[]): (typeof VK_PRIVACY)[number] {
  const n = typeof value === "string" && /^[0-3]$/.test(value) ? Number(value) : value;
  if (n === undefined || n === null) return "all";
  if (typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 3) return VK_PRIVACY[n]!;
  warnings.push({ code: "setting_ignored", message: `${field} ${JSON.stringify(value)} is not valid; all is used` });
  return "all";
}

/** The scheduled time, if it is valid and still ahead (YouTube refuses a past publishAt). */
function scheduledAt(value: unknown, now: Date, warnings: MetadataWarning[]): Date | null {
  if (value === undefined || value === null) return null;
  const date = typeof value === "string" ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    warnings.push({ code: "setting_ignored", message: `publish_at ${JSON.stringify(value)} is not a date; published at once` });
    return null;
  }
  if (date.getTime() <= now.getTime()) {
    warnings.push({ code: "publish_at_past", message: `publish_at ${date.toISOString()} has passed; published at once` });
    return null;
  }
  return date;
}

/**
 * What publishing `recordingId` with `presetId` sends, computed from the stored data only: the
 * preview endpoint shows it and the publishing stage sends it, so they cannot disagree. Both
 * ids are looked up within `userId`'s data: another tenant's preset or recording is a 404, and a
 * thumbnail is looked for only among this user's and the shared ones.
 */
export async function preparePublication(
  ctx: ServiceContext,
  userId: string,
  input: { presetId: number; recordingId: number; metadataOverride?: Json | null },
): Promise<Publication> {
  const preset = await forTenant(ctx.db, userId).presets.get(input.presetId);
  if (!preset) throw notFound("Preset");
  return { preset_id: preset.id, ...(await publish(ctx, userId, preset, input.recordingId, input.metadataOverride ?? null)) };
}

/** A preset as it is being edited, not saved (yet): its metadata was checked by the caller. */
export type DraftPreset = Pick<PresetRow, "platform" | "credentialId" | "presetMetadata" | "isActive">;
export type DraftPublication = Omit<Publication, "preset_id">;

/** What publishing `recordingId` with an unsaved preset would send (the editor's live preview). */
export function prepareDraftPublication(ctx: ServiceContext, userId: string, preset: DraftPreset, recordingId: number): Promise<DraftPublication> {
  return publish(ctx, userId, preset, recordingId, null);
}

async function publish(ctx: ServiceContext, userId: string, preset: DraftPreset, recordingId: number, metadataOverride: Json | null): Promise<DraftPublication> {
  const tenant = forTenant(ctx.db, userId);
  const presets = tenant.presets;
  const recording = await tenant.recordings.get(recordingId);
  if (!recording) throw notFound("Recording");
  const now = ctx.clock.now();
  const [template, configRow, profile, credential] = await Promise.all([
    recording.templateId === null ? undefined : tenant.templates.get(recording.templateId),
    tenant.config.getOrCreate(now),
    tenant.profile.get(),
    preset.credentialId === null ? undefined : presets.findCredential(preset.credentialId),
  ]);
  const userConfig = effectiveUserConfig(configRow.configData);
  const warnings: MetadataWarning[] = [];
  if (!preset.isActive) warnings.push({ code: "preset_inactive", message: "The preset is inactive: automatic uploads skip it" });
  if (!credential) warnings.push({ code: "credential_missing", message: "The preset has no credential (it was deleted): set one before publishing" });
  else if (!credential.isActive || credential.needsReauth) {
    warnings.push({ code: "credential_unusable", message: "The preset's credential is inactive or needs to be connected again" });
  }

  const layers = {
    userMetadata: userConfig.metadata as unknown as Json,
    presetMetadata: preset.presetMetadata,
    templateMetadata: template?.metadataConfig ?? null,
    recordingMetadata: (recording.processingPreferences?.metadata_config as Json | undefined) ?? null,
    overrideMetadata: metadataOverride,
  };
  const merged = mergeMetadataLayers(preset.platform, Object.values(layers));
  const publishAt = preset.platform === "youtube" ? scheduledAt(merged.publish_at, now, warnings) : null;
  const rendered = renderMetadata({ platform: preset.platform, recording, ...layers, publishAt, now, timeZone: profile?.timezone });
  // A template the sandbox refuses is never published with a fallback title: the preview is a 400, the upload fails saying why.
  if (rendered.refusals.length > 0) throw new TemplateRefusedError(rendered.refusals);
  warnings.push(...rendered.warnings);
  const s = rendered.settings;

  let thumbnail = preset.platform === "yandex_disk" ? null : await resolveThumbnail(ctx, userId, rendered.thumbnail_name);
  if (rendered.thumbnail_name && preset.platform !== "yandex_disk" && !thumbnail) {
    warnings.push({ code: "thumbnail_missing", message: `Thumbnail ${rendered.thumbnail_name} is neither yours nor a shared one; published without a thumbnail` });
  }
  if (thumbnail && preset.platform === "youtube" && thumbnail.size > MAX_THUMBNAIL_BYTES) {
    warnings.push({ code: "thumbnail_too_large", message: `Thumbnail ${thumbnail.name} is over YouTube's 2 MB; published without a thumbnail` });
    thumbnail = null;
  }

  const base = {
    recording_id: recording.id,
    platform: preset.platform,
    credential_id: preset.credentialId,
    title: rendered.title,
    description: rendered.description,
    tags: rendered.tags,
    thumbnail,
    publish_at: publishAt,
    warnings,
  };

  if (preset.platform === "youtube") {
    let privacy = pick(s.privacy, YOUTUBE_PRIVACY, userConfig.platforms.youtube.default_privacy as (typeof YOUTUBE_PRIVACY)[number], "privacy", warnings);
    if (publishAt && privacy !== "private") {
      warnings.push({ code: "privacy_scheduled", message: `Scheduled: uploaded private, YouTube makes it public at ${publishAt.toISOString()}` });
      privacy = "private";
    }
    const language = text(s.default_language) ?? userConfig.platforms.youtube.default_language;
    const status: Json = {
      privacyStatus: privacy,
      selfDeclaredMadeForKids: bool(s.made_for_kids, false),
      embeddable: bool(s.embeddable, true),
      license: pick(s.license, ["youtube", "creativeCommon"] as const, "youtube", "license", warnings),
    };
    if (typeof s.public_stats_viewable === "boolean") status.publicStatsViewable = s.public_stats_viewable;
    if (publishAt) status.publishAt = publishAt.toISOString();
    const snippet: Json = { title: rendered.title, description: rendered.description, tags: rendered.tags, categoryId: text(s.category_id) ?? "27" };
    if (language) {
      snippet.defaultLanguage = language;
      snippet.defaultAudioLanguage = language;
    }
    return {
      ...base,
      privacy,
      playlist_id: text(s.playlist_id),
      album_id: null,
      group_id: null,
      path: null,
      request: { part: "snippet,status", notifySubscribers: bool(s.notify_subscribers, true), snippet, status },
    };
  }

  if (preset.platform === "vk") {
    const privacyView = vkPrivacy(s.privacy_view, "privacy_view", warnings);
    const groupId = int(s.group_id);
    const albumId = text(s.album_id);
    const request: Json = {
      name: rendered.title,
      description: rendered.description,
      privacy_view: privacyView,
      privacy_comment: vkPrivacy(s.privacy_comment, "privacy_comment", warnings),
      // LEAP read `no_comments` while presets said `disable_comments`, so it never applied.
      no_comments: bool(s.disable_comments, false) ? 1 : 0,
      repeat: bool(s.repeat, false) ? 1 : 0,
      wallpost: bool(s.wallpost, false) ? 1 : 0,
      compression: bool(s.compression, false) ? 1 : 0,
    };
    if (groupId !== null) request.group_id = groupId;
    if (albumId !== null) request.album_id = albumId;
    else if (text(s.album_title) !== null) request.album_title = text(s.album_title);
    return { ...base, privacy: privacyView, playlist_id: null, album_id: albumId, group_id: groupId, path: null, request };
  }

  return {
    ...base,
    privacy: null,
    playlist_id: null,
    album_id: null,
    group_id: null,
    path: rendered.path,
    request: { path: rendered.path, overwrite: bool(s.overwrite, false), publish: bool(s.publish, false) },
  };
}
