export * from "./client-context.js";
export * from "./oauth2/index.js";
export * from "./profiles/index.js";
export * from "./services/index.js";
export * from "./token-store/index.js";
