import { isPlainObject } from "./merge";
import { layerSections, type ResolveInput } from "./resolve";

/** The layers a recording's configuration is resolved from, lowest first (the request layer is a run's, not the recording's). */
export const CONFIG_SOURCES = ["default", "user", "template", "recording"] as const;
export type ConfigSource = (typeof CONFIG_SOURCES)[number];

/** Dot-joined leaf path of the effective config → the layer that gave it its value. */
export type ConfigSources = Record<string, ConfigSource>;

/** Whether a layer sets this path: every step a plain object, the value neither null nor absent (both inherit). */
function sets(layer: unknown, path: readonly string[]): boolean {
  let node = layer;
  for (const key of path) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) return false;
    node = node[key];
  }
  return node !== null && node !== undefined;
}

/** Leaves are what resolveLayers replaces whole: scalars, null, arrays, and objects without keys. */
function eachLeaf(value: unknown, path: string[], visit: (path: string[]) => void): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) eachLeaf(child, [...path, key], visit);
  } else if (path.length > 0) {
    visit(path);
  }
}

/**
 * Where each value of `effective` (resolveConfig's result for the same input) comes from: the
 * highest layer that sets the leaf, else the defaults. Higher layers replace scalars and arrays
 * whole and merge objects per key, so the highest layer setting a leaf is the one whose value won.
 */
export function configSources(input: Omit<ResolveInput, "request">, effective: object): ConfigSources {
  // Highest first; the template and recording layers are mapped onto user-config sections as resolveConfig does.
  const layers: [ConfigSource, unknown][] = [
    ["recording", layerSections(input.recording)],
    ["template", layerSections(input.template)],
    ["user", input.user],
  ];
  const sources: ConfigSources = {};
  eachLeaf(effective, [], (path) => {
    sources[path.join(".")] = layers.find(([, layer]) => sets(layer, path))?.[0] ?? "default";
  });
  return sources;
}
