/**
 * liquidjs, taken from its browser build: the Node build imports fs, path, stream and module at
 * load time, the browser build imports nothing. Neither uses eval or `new Function` (templates are
 * interpreted), so it runs on Workers as is.
 */
export { CaptureTag, Context, Drop, ForTag, Liquid, Tag, Tokenizer, TypeGuards, toValueSync } from "liquidjs/dist/liquid.browser.mjs";
export type { Emitter, FilterImplOptions, Template, TagToken, TopLevelToken } from "liquidjs/dist/liquid.browser.mjs";
