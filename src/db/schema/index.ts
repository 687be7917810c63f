export * from "./users";
export * from "./subscriptions";
export * from "./credentials";
export * from "./sources";
export * from "./templates";
export * from "./recordings";
export * from "./zoom";
export * from "./oauth";
