export * from "./auth-scheme.js";
export * from "./routes.js";
