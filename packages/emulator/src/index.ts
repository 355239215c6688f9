/**
 * `@dhis2w/emulator`: everything of `@dhis2w/emulator/browser` plus the `node:http` server
 * (`startEmulator`) and its adapter.
 */
export * from "./browser.js";
export { serveNodeRequest } from "./node-adapter.js";
export { type RunningEmulator, type StartEmulatorOptions, startEmulator } from "./server.js";
