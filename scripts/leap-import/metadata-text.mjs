// @ts-check
/**
 * LEAP's metadata templates (`{display_name}`, `{record_time:DD.MM.YYYY}`, spec §6.6) are kept as
 * written: this server reads LEAP placeholders itself, with LEAP's formats
 * (src/services/metadata/leap-syntax.ts), so one set of conversion rules lives in one place and the
 * user recognises the imported templates. What does change:
 *
 * - A placeholder LEAP had no value for (`{course}`) was printed verbatim by LEAP, while this
 *   server refuses unknown variables when a template is saved. It is wrapped in
 *   `{% raw %}…{% endraw %}`, which prints it verbatim here too.
 * - `{topic}`, `{date}` and `{summary}` were documented by LEAP but printed verbatim (§6.6 ⚠); here
 *   they have values. They are kept, with a note, since a value is what the user meant.
 *
 * Liquid/Jinja blocks (`{{ … }}`, `{% … %}`: LEAP after its Jinja migration) pass through untouched.
 */

/** The variables LEAP's renderer fills in (§6.6). */
const LEAP_VALUES = new Set(["display_name", "duration", "record_time", "publish_time", "themes", "topics"]);
/** Documented by LEAP, never filled in by it; filled in here. */
const VALUES_HERE_ONLY = new Set(["topic", "date", "summary"]);

const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::([^{}]*))?\}/y;
const RAW_OR_COMMENT = /^\{%-?\s*(raw|comment)\b/;

/**
 * @param {string} text
 * @returns {{ text: string, notes: string[] }}
 */
export function protectLeapTemplate(text) {
  /** @type {string[]} */
  const notes = [];
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("{{", i) || text.startsWith("{%", i)) {
      const close = text.startsWith("{{", i) ? "}}" : "%}";
      const end = text.indexOf(close, i + 2);
      let next = end < 0 ? text.length : end + 2;
      const block = RAW_OR_COMMENT.exec(text.slice(i, next))?.[1];
      if (block) {
        const closing = new RegExp(`\\{%-?\\s*end${block}\\s*-?%\\}`, "g");
        closing.lastIndex = next;
        const match = closing.exec(text);
        next = match ? match.index + match[0].length : text.length;
      }
      out += text.slice(i, next);
      i = next;
      continue;
    }
    if (text[i] === "{") {
      PLACEHOLDER.lastIndex = i;
      const match = PLACEHOLDER.exec(text);
      if (match) {
        const name = /** @type {string} */ (match[1]);
        if (LEAP_VALUES.has(name)) out += match[0];
        else if (VALUES_HERE_ONLY.has(name)) {
          out += match[0];
          notes.push(`{${name}} printed as literal text in LEAP; here it is replaced by its value`);
        } else {
          out += `{% raw %}${match[0]}{% endraw %}`;
          notes.push(`${match[0]} is not a variable (LEAP printed it as written); kept as literal text`);
        }
        i += match[0].length;
        continue;
      }
      out += "{";
      i += 1;
      continue;
    }
    const next = text.indexOf("{", i);
    const stop = next < 0 ? text.length : next;
    out += text.slice(i, stop);
    i = stop;
  }
  return { text: out, notes: [...new Set(notes)] };
}

/** The template fields of a metadata object (preset metadata, a template's metadata_config and its platform blocks, user config metadata). */
const TEMPLATE_FIELDS = ["title_template", "description_template", "folder_path"];
const PLATFORM_BLOCKS = ["youtube", "vk", "yandex_disk", "common"];

/**
 * Applies protectLeapTemplate to every template field, platform blocks included.
 * @param {Record<string, unknown>} metadata
 * @returns {{ value: Record<string, unknown>, notes: string[] }}
 */
export function protectMetadataTemplates(metadata) {
  /** @type {string[]} */
  const notes = [];
  /** @param {Record<string, unknown>} obj @param {string} prefix */
  const visit = (obj, prefix) => {
    /** @type {Record<string, unknown>} */
    const copy = { ...obj };
    for (const field of TEMPLATE_FIELDS) {
      const value = copy[field];
      if (typeof value !== "string") continue;
      const protectedText = protectLeapTemplate(value);
      copy[field] = protectedText.text;
      notes.push(...protectedText.notes.map((n) => `${prefix}${field}: ${n}`));
    }
    return copy;
  };
  const value = visit(metadata, "");
  for (const block of PLATFORM_BLOCKS) {
    const inner = value[block];
    if (inner && typeof inner === "object" && !Array.isArray(inner)) value[block] = visit(/** @type {Record<string, unknown>} */ (inner), `${block}.`);
  }
  return { value, notes };
}
