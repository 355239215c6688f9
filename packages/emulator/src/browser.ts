/**
 * `@dhis2w/emulator/browser`: the emulator with no `node:` import, for a browser page, a Service
 * Worker, Deno or Bun. Build one with {@link createEmulator} and reach it through `emu.fetch`, or
 * let a Service Worker answer a page's requests with {@link serviceWorkerListener}. The package
 * root adds the `node:http` server (`startEmulator`) on top of the same exports.
 */
import type { Emulator } from "./create.js";

export {
  type AppOptions,
  type BeforeHook,
  EmulatorApp,
  type EmulatorExtensions,
  type EmulatorModule,
  type Handler,
  type RouteOptions,
} from "./app.js";
export { AuthChain, type AuthOutcome, type BearerValidator } from "./auth.js";
export { STREAM_HIGH_WATER_MARK, StreamMeter } from "./body-stream.js";
export { type Clock, dhis2Timestamp, fixedClock, type ManualClock, systemClock } from "./clock.js";
export { corsAllowed, corsGlob } from "./cors.js";
export {
  createEmulator,
  createEmulatorApp,
  type Emulator,
  type EmulatorOptions,
  IN_PROCESS_URL,
} from "./create.js";
export { Ctx, JSON_TYPE, type ResponseStream } from "./ctx.js";
export type { ValidationResultRecord } from "./data/validation-results.js";
export {
  DEFAULT_MAX_REQUEST_RECORDS,
  type Fault,
  type FaultSpec,
  Faults,
  type PathMatcher,
  type RequestRecord,
  Stats,
  type StatsOptions,
} from "./faults.js";
export { type EmulatorFetch, emulatorFetch } from "./fetch-adapter.js";
export { DEFAULT_VALUES, type DefaultValue } from "./metadata/default-values.gen.js";
export { type Method, type NormalizedPath, normalizePath, Router } from "./router.js";
export { createSeedContext, type SeedContext } from "./seed/context.js";
export { DEFAULTS, type DemoIds, type SeedStep, seedDemo } from "./seed/demo.js";
export { DEMO_ROLES, DEMO_USERS } from "./seed/users.js";
export { EmulatorState, type EmulatorUser, type MetadataObject, MetadataStore } from "./state.js";
export { QUERY_ALIAS_TTL_MS } from "./system/query-alias.js";
export { generateUid, isValidUid, UID_RE } from "./uid.js";
export { HttpError, reasonPhrase, type WebMessage, webMessageBody } from "./web-message.js";

/** The part of a Service Worker `FetchEvent` the listener uses. */
export interface FetchEventLike {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}

/**
 * A Service Worker `fetch` listener that answers the requests going to `url`'s origin with the
 * emulator (other requests go to the network as usual). The emulator may still be being built:
 * requests wait for it. A dropped-connection fault is `Response.error()`, which the page's `fetch`
 * sees as a network error.
 *
 * @example
 * const url = "https://dhis2.example.org";
 * const emu = createEmulator({ url, seed: "demo", allowedOrigins: [self.location.origin] });
 * self.addEventListener("fetch", serviceWorkerListener(url, emu));
 */
export function serviceWorkerListener(
  url: string,
  emulator: Pick<Emulator, "handle"> | Promise<Pick<Emulator, "handle">>,
): (event: FetchEventLike) => void {
  const origin = new URL(url).origin;
  const ready = Promise.resolve(emulator);
  return (event) => {
    if (new URL(event.request.url).origin !== origin) return;
    event.respondWith(ready.then((emu) => emu.handle(event.request)));
  };
}
