import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { EmulatorApp, type EmulatorModule } from "./app.js";
import { type Clock, systemClock } from "./clock.js";
import type { Faults, Stats } from "./faults.js";
import { MODULES } from "./modules.js";
import { type DemoIds, seedDemo, seedEmpty } from "./seed/demo.js";
import { addDefaultUsers } from "./seed/users.js";
import type { EmulatorState } from "./state.js";
import { apiTokenModule } from "./system/api-token.js";
import { meModule } from "./system/me.js";
import { systemModule } from "./system/system.js";
import { webModule } from "./system/web.js";
import { assertVersionKey, type VersionKey } from "./versions.js";

/** Options of {@link startEmulator}. */
export interface StartEmulatorOptions {
  /** The DHIS2 version to emulate (default "v42"). */
  version?: VersionKey;
  /** Overrides the reported version string, e.g. "2.41-SNAPSHOT", "2.44.0", "2.40.3". */
  versionString?: string;
  /** TCP port (default 0: any free port). */
  port?: number;
  /** Interface to listen on (default "127.0.0.1"). */
  host?: string;
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
  /** Extra modules installed after the built-in ones (tests add routes this way). */
  modules?: readonly EmulatorModule[];
}

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:43121` (no trailing slash; the API is at `${url}/api`). */
  readonly url: string;
  readonly version: VersionKey;
  readonly app: EmulatorApp;
  readonly state: EmulatorState;
  readonly faults: Faults;
  readonly stats: Stats;
  /** Ids of the demo seed's objects (undefined with seed "empty"). */
  readonly demo: DemoIds | undefined;
  /** Stops listening and closes every connection, idle keep-alive ones included. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const CORE_MODULES: readonly EmulatorModule[] = [webModule, systemModule, meModule, apiTokenModule];

/**
 * Builds an app (state seeded, modules installed) without listening: for in-process use.
 *
 * @example
 * const app = await createEmulatorApp({ version: "v43", seed: "empty" });
 */
export async function createEmulatorApp(opts: StartEmulatorOptions = {}): Promise<EmulatorApp> {
  const version = assertVersionKey(opts.version ?? "v42");
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
  const seed = opts.seed ?? "demo";
  if (seed !== "demo" && seed !== "empty")
    throw new Error(`Unknown seed ${JSON.stringify(seed)}: use "demo" or "empty"`);
  app.seedName = seed;
  if (seed === "demo") app.demo = seedDemo(app.state);
  else seedEmpty(app.state);
  for (const m of [...CORE_MODULES, ...MODULES, ...(opts.modules ?? [])]) await m.install(app);
  return app;
}

/**
 * Starts a DHIS2 Web API emulator on loopback. Users: `admin`/`district` (superuser) and
 * `district`/`district` (data entry).
 *
 * @example
 * await using emu = await startEmulator({ version: "v42" });
 * const res = await fetch(`${emu.url}/api/system/info`, {
 *   headers: { Authorization: "Basic " + btoa("admin:district") },
 * });
 */
export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const app = await createEmulatorApp(opts);
  // Room for long request targets so the app, not Node, answers them (414, like nginx would).
  const server: Server = createServer({ keepAlive: true, maxHeaderSize: 256 * 1024 }, (req, res) => {
    void app.handle(req, res);
  });
  const sockets = new Set<Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // In-flight requests get a short grace, then their sockets go too: close() must not hang.
      const timer = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, 200);
      timer.unref();
      await closed;
      clearTimeout(timer);
      await app.runCloseHooks();
    })();
    return closing;
  };

  return {
    url,
    version: app.state.version,
    app,
    state: app.state,
    faults: app.faults,
    stats: app.stats,
    demo: app.demo,
    close,
    [Symbol.asyncDispose]: close,
  };
}
