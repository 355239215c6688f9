/**
 * Building an emulator without any transport: the seeded app, and {@link createEmulator}, an
 * emulator reached through its own `fetch` (tests with no port, browser pages, Service Workers).
 * Nothing here imports a `node:` module; `server.ts` adds the `node:http` listener.
 */
import { isVersionKey, VERSION_KEYS, type VersionKey } from "@dhis2w/client";
import { EmulatorApp, type EmulatorModule } from "./app.js";
import { type Clock, systemClock } from "./clock.js";
import type { Faults, Stats } from "./faults.js";
import { type EmulatorFetch, emulatorFetch } from "./fetch-adapter.js";
import { MODULES } from "./modules.js";
import { type DemoIds, seedDemo, seedEmpty } from "./seed/demo.js";
import { addDefaultUsers } from "./seed/users.js";
import type { EmulatorState } from "./state.js";
import { apiTokenModule } from "./system/api-token.js";
import { configurationModule } from "./system/configuration.js";
import { meModule } from "./system/me.js";
import { systemModule } from "./system/system.js";
import { webModule } from "./system/web.js";

/**
 * The base URL of an emulator with no server: `.invalid` is reserved (RFC 2606, RFC 6761) and
 * never resolves, so a request that misses `emu.fetch` and reaches the network fails at once.
 */
export const IN_PROCESS_URL = "http://emulator.invalid";

/** Options of {@link createEmulator} (and of `startEmulator`, which adds `port` and `host`). */
export interface EmulatorOptions {
  /** The DHIS2 version to emulate (default "v42"). */
  version?: VersionKey;
  /** Overrides the reported version string, e.g. "2.41-SNAPSHOT", "2.44.0", "2.40.3". */
  versionString?: string;
  /** "demo" (default): the demo data; "empty": only users and the default category model. */
  seed?: "demo" | "empty";
  /** Time source (default the wall clock). */
  clock?: Clock;
  /** Make `/` redirect to another origin (a play server's front door). */
  redirectRootTo?: string;
  /** Largest accepted request body in bytes (default 64 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Longest accepted request target (default 8192 characters); longer ones get 414. */
  maxUrlLength?: number;
  /**
   * How many of the latest request records `stats.requests()` keeps (default 10,000), so a
   * long-running emulator stays bounded; `stats.count()` and `stats.total` stay exact.
   */
  maxRequestRecords?: number;
  /**
   * Origins (or DHIS2 globs such as `http://localhost:*`) whose cross-origin requests are
   * answered with CORS headers: the initial `/api/configuration/corsWhitelist`.
   */
  allowedOrigins?: readonly string[];
  /** Extra modules installed after the built-in ones (tests add routes this way). */
  modules?: readonly EmulatorModule[];
}

/** An emulator, with or without a server. */
export interface Emulator {
  /**
   * Base URL (no trailing slash; the API is at `${url}/api`): `http://127.0.0.1:<port>` for a
   * server, {@link IN_PROCESS_URL} for {@link createEmulator}.
   */
  readonly url: string;
  readonly version: VersionKey;
  readonly app: EmulatorApp;
  readonly state: EmulatorState;
  readonly faults: Faults;
  readonly stats: Stats;
  /** Ids of the demo seed's objects (undefined with seed "empty"). */
  readonly demo: DemoIds | undefined;
  /**
   * A `fetch` answered in process for requests to `url` (redirects, faults and aborts behave as
   * over a socket): pass it as the client's `fetch` option.
   */
  readonly fetch: EmulatorFetch;
  /** The transport-free core: one `Request` in, its `Response` out. */
  handle(request: Request): Promise<Response>;
  /** Stops it (closing connections, running the modules' shutdown hooks). */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const CORE_MODULES: readonly EmulatorModule[] = [
  webModule,
  systemModule,
  meModule,
  apiTokenModule,
  configurationModule,
];

/**
 * The version to emulate, or a clear error for anything that is no row of the client's version
 * table (options come from JavaScript callers and the command line too).
 *
 * @example
 * emulatedVersion("v43"); // "v43"
 */
export function emulatedVersion(v: unknown): VersionKey {
  if (isVersionKey(v)) return v;
  throw new Error(
    `Unsupported emulator version ${JSON.stringify(v)}: expected one of ${VERSION_KEYS.join(", ")}`,
  );
}

/**
 * Builds an app (state seeded, modules installed) without any transport.
 *
 * @example
 * const app = await createEmulatorApp({ version: "v43", seed: "empty" });
 * const res = await app.handle(new Request("http://emulator.invalid/api/system/ping"));
 */
export async function createEmulatorApp(opts: EmulatorOptions = {}): Promise<EmulatorApp> {
  const version = emulatedVersion(opts.version ?? "v42");
  const app = new EmulatorApp({
    version,
    clock: opts.clock ?? systemClock,
    maxBodyBytes: opts.maxBodyBytes ?? 64 * 1024 * 1024,
    maxUrlLength: opts.maxUrlLength ?? 8192,
    ...(opts.versionString !== undefined ? { versionString: opts.versionString } : {}),
    ...(opts.redirectRootTo !== undefined ? { redirectRootTo: opts.redirectRootTo } : {}),
    ...(opts.maxRequestRecords !== undefined ? { maxRequestRecords: opts.maxRequestRecords } : {}),
  });
  addDefaultUsers(app.state);
  for (const origin of opts.allowedOrigins ?? []) app.state.corsWhitelist.add(origin);
  const seed = opts.seed ?? "demo";
  if (seed !== "demo" && seed !== "empty")
    throw new Error(`Unknown seed ${JSON.stringify(seed)}: use "demo" or "empty"`);
  app.seedName = seed;
  if (seed === "demo") app.demo = seedDemo(app.state);
  else seedEmpty(app.state);
  for (const m of [...CORE_MODULES, ...MODULES, ...(opts.modules ?? [])]) await m.install(app);
  return app;
}

/** The {@link Emulator} view of an app answering at `url`. @internal */
export function emulatorOf(app: EmulatorApp, url: string, close: () => Promise<void>): Emulator {
  return {
    url,
    version: app.state.version,
    app,
    state: app.state,
    faults: app.faults,
    stats: app.stats,
    demo: app.demo,
    fetch: emulatorFetch(app, url),
    handle: (request) => app.handle(request),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Creates an emulator with no server: reach it through `emu.fetch` (no port, no socket), in
 * Node, a browser page or a Service Worker.
 *
 * @example
 * await using emu = await createEmulator({ version: "v42" });
 * const client = new Dhis2Client({ baseUrl: emu.url, fetch: emu.fetch, auth });
 * await client.connect();
 */
export async function createEmulator(opts: EmulatorOptions & { url?: string } = {}): Promise<Emulator> {
  const app = await createEmulatorApp(opts);
  const url = (opts.url ?? IN_PROCESS_URL).replace(/\/+$/, "");
  let closing: Promise<void> | undefined;
  return emulatorOf(app, url, () => {
    closing ??= app.runCloseHooks();
    return closing;
  });
}
