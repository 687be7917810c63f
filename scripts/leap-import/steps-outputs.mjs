// @ts-check
/** Thumbnails, output presets and input sources: the objects templates and jobs point at. */
import { presetBody, presetPlatformHere, sourceBody, sourceTypeHere, unsupportedSourceReason } from "./convert.mjs";
import { errorMessage } from "./http.mjs";
import { blockedReason, createHere, findByName, namesHere } from "./step-helpers.mjs";

/** @typedef {import("./step-helpers.mjs").Ctx} Ctx */

const THUMBNAIL_NAME = /^[A-Za-z0-9_-]{1,100}\.(png|jpg|jpeg)$/;
const MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024;

/** @param {Uint8Array} a @param {Uint8Array} b */
const sameBytes = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * LEAP copies its shared thumbnails into every user's folder (§5.8), so its list mixes the user's
 * own images with copies of the defaults. One that this server already ships as a shared default,
 * byte for byte, is not uploaded again.
 * @param {Ctx} ctx
 */
export async function importThumbnails(ctx) {
  if (!ctx.from.thumbnails) return;
  if (!ctx.here.thumbnails) {
    for (const t of ctx.from.thumbnails) ctx.report.add({ kind: "thumbnail", name: t.name, leapId: null, action: "failed", reason: "this server's thumbnails could not be listed" });
    return;
  }
  for (const t of ctx.from.thumbnails) {
    const name = t.name;
    const base = /** @type {const} */ ({ kind: "thumbnail", name, leapId: null });
    const here = ctx.here.thumbnails.find((h) => h.name === name);
    if (here && here.is_template !== true) {
      ctx.report.add({ ...base, action: "exists", notes: ["yours here is kept as it is"] });
      continue;
    }
    if (!THUMBNAIL_NAME.test(name)) {
      ctx.report.add({ ...base, action: "skipped", reason: "names here are letters, digits, _ or - (at most 100) plus .png, .jpg or .jpeg: rename it in LEAP, then run the import again" });
      continue;
    }
    try {
      const sameSizeDefault = here && here.size_bytes === t.size_bytes;
      const needBytes = !ctx.dryRun || sameSizeDefault;
      const image = needBytes ? await ctx.leap.getBytes(`/api/v1/thumbnails/${encodeURIComponent(name)}`) : null;
      if (image && image.bytes.length > MAX_THUMBNAIL_BYTES) {
        ctx.report.add({ ...base, action: "skipped", reason: "larger than 2 MB, the limit here" });
        continue;
      }
      if (image && sameSizeDefault) {
        const shared = await ctx.ours.getBytes(`/api/v1/thumbnails/${encodeURIComponent(name)}`);
        if (sameBytes(shared.bytes, image.bytes)) {
          ctx.report.add({ ...base, action: "exists", notes: ["identical to the shared default here"] });
          continue;
        }
      }
      const notes = here ? ["yours will be used instead of the shared default of the same name"] : [];
      if (ctx.dryRun || !image) {
        ctx.report.add({ ...base, action: "would_create", notes });
        continue;
      }
      const type = /\.png$/.test(name) ? "image/png" : "image/jpeg";
      const form = new FormData();
      form.append("file", new Blob([image.bytes], { type }), name);
      await ctx.ours.sendForm("PUT", `/api/v1/thumbnails/${encodeURIComponent(name)}`, form);
      ctx.report.add({ ...base, action: "created", notes });
    } catch (error) {
      ctx.report.add({ ...base, action: "failed", reason: errorMessage(error) });
    }
  }
}

/** @param {Ctx} ctx */
export async function importPresets(ctx) {
  const refs = ctx.refs.presets;
  if (!ctx.from.presets) {
    refs.setUnreadable("LEAP's presets could not be read");
    return;
  }
  refs.setRead(ctx.from.presets);
  if (!ctx.here.presets) {
    refs.setUnreadable("this server's presets could not be listed");
    return;
  }
  const names = namesHere(ctx.from.presets);
  for (const leap of ctx.from.presets) {
    const name = names.get(leap.id) ?? leap.name;
    refs.rename(leap.id, name);
    const base = /** @type {const} */ ({ kind: "preset", name, leapId: leap.id });
    const platform = presetPlatformHere(String(leap.platform));
    const existing = findByName(ctx.here.presets, name);
    if (existing && existing.platform === platform) {
      refs.map(leap.id, Number(existing.id));
      ctx.report.add({ ...base, action: "exists", id: Number(existing.id) });
      continue;
    }
    /** @param {string} reason @param {boolean} [fixable] whether a re-run can pick it up once the user acts */
    const skip = (reason, fixable = true) => ctx.report.add({ ...base, action: "skipped", reason: fixable ? blockedReason([reason]) : reason });
    if (!platform) {
      skip(`${leap.platform} presets are not supported here`, false);
      continue;
    }
    if (existing) {
      skip(`a ${existing.platform} preset named "${name}" already exists here (preset names are unique): rename one`);
      continue;
    }
    const credential = ctx.credentials.resolve(platform, leap.credential_id, `preset "${name}"`);
    if ("reason" in credential) {
      skip(credential.reason);
      continue;
    }
    const { body, notes } = presetBody(leap, platform, credential.id);
    body.name = name;
    const created = await createHere(ctx, { ...base, path: "/api/v1/presets", body, notes });
    if (created) refs.map(leap.id, created.id);
  }
}

/** @param {Ctx} ctx */
export async function importSources(ctx) {
  const refs = ctx.refs.sources;
  if (!ctx.from.sources) {
    refs.setUnreadable("LEAP's sources could not be read");
    return;
  }
  refs.setRead(ctx.from.sources);
  if (!ctx.here.sources) {
    refs.setUnreadable("this server's sources could not be listed");
    return;
  }
  const names = namesHere(ctx.from.sources, (s) => `${String(s.source_type).toUpperCase()}:${s.name.trim()}`);
  for (const leap of ctx.from.sources) {
    const name = names.get(leap.id) ?? leap.name;
    refs.rename(leap.id, name);
    const base = /** @type {const} */ ({ kind: "source", name, leapId: leap.id });
    const type = sourceTypeHere(String(leap.source_type));
    const existing = type && (ctx.here.sources ?? []).find((s) => s.source_type === type.type && String(s.name).trim() === name);
    if (existing) {
      refs.map(leap.id, Number(existing.id));
      ctx.report.add({ ...base, action: "exists", id: Number(existing.id) });
      continue;
    }
    if (!type) {
      ctx.report.add({ ...base, action: "skipped", reason: unsupportedSourceReason(String(leap.source_type)) });
      continue;
    }
    /** @type {number | null} */
    let credentialId = null;
    if (type.credential) {
      const credential = ctx.credentials.resolve(type.credential, leap.credential_id, `source "${name}"`);
      if ("reason" in credential) {
        ctx.report.add({ ...base, action: "skipped", reason: blockedReason([credential.reason]) });
        continue;
      }
      credentialId = credential.id;
    }
    const body = { ...sourceBody(leap, type.type, credentialId), name };
    const created = await createHere(ctx, { ...base, path: "/api/v1/sources", body, notes: [] });
    if (!created) continue;
    refs.map(leap.id, created.id);
    const webhook = created.response?.webhook_url;
    const item = ctx.report.items[ctx.report.items.length - 1];
    if (typeof webhook === "string" && item) {
      item.notes.push(`LEAP only polled Zoom; here recordings arrive the moment they are ready if your Zoom app sends recording.completed to ${webhook}`);
    }
  }
}
