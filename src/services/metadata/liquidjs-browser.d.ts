// liquidjs's browser build has the same API as the package entry; see ./liquid.ts for why it is used.
declare module "liquidjs/dist/liquid.browser.mjs" {
  export * from "liquidjs";
}
