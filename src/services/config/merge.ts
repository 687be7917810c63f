/** JSON-object merging used by user config storage (merge patch) and config resolution (layers). */

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `__proto__` would rewrite the prototype on assignment, so such keys are never copied. */
const isSafeKey = (key: string): boolean => key !== "__proto__";

/** Deep copies of JSON-like data, so results never share structure with the inputs. */
function cloneObject(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (isSafeKey(key)) out[key] = cloneValue(child);
  return out;
}

function cloneValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneValue);
  return isPlainObject(value) ? cloneObject(value) : value;
}

function patchValue(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneValue(patch);
  const out = isPlainObject(target) ? cloneObject(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (!isSafeKey(key)) continue;
    if (value === null) delete out[key];
    else out[key] = patchValue(out[key], value);
  }
  return out;
}

/**
 * RFC 7396 JSON Merge Patch: objects merge recursively, `null` deletes the key,
 * arrays and scalars replace. Inputs are never mutated.
 */
export function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown>;
export function mergePatch(target: unknown, patch: unknown): unknown;
export function mergePatch(target: unknown, patch: unknown): unknown {
  return patchValue(target, patch);
}

function layerValue(lower: unknown, higher: unknown): unknown {
  if (higher === null || higher === undefined) return cloneValue(lower);
  if (!isPlainObject(higher)) return cloneValue(higher);
  return layerObject(lower, higher);
}

function layerObject(lower: unknown, higher: Record<string, unknown>): Record<string, unknown> {
  const out = isPlainObject(lower) ? cloneObject(lower) : {};
  for (const [key, value] of Object.entries(higher)) {
    if (!isSafeKey(key)) continue;
    const merged = layerValue(out[key], value);
    if (merged !== undefined) out[key] = merged;
  }
  return out;
}

/**
 * Merges configuration layers from lowest to highest priority. The lowest layer is taken as is
 * (its nulls, e.g. a default of null, stay); in higher layers `null`/`undefined` means "inherit"
 * and never creates a key, while any other value (false, 0, "", []) wins. Objects merge
 * recursively, arrays and scalars replace. Layers that are not plain objects contribute nothing.
 * Inputs are never mutated.
 */
export function resolveLayers(...layers: readonly unknown[]): Record<string, unknown> {
  let result: Record<string, unknown> | null = null;
  for (const layer of layers) {
    if (isPlainObject(layer)) result = result === null ? cloneObject(layer) : layerObject(result, layer);
  }
  return result ?? {};
}
