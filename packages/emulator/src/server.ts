import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createEmulatorApp, type Emulator, type EmulatorOptions, emulatorOf } from "./create.js";
import { serveNodeRequest } from "./node-adapter.js";

export { createEmulatorApp } from "./create.js";

/** Options of {@link startEmulator}: those of `createEmulator`, plus where to listen. */
export interface StartEmulatorOptions extends EmulatorOptions {
  /** TCP port (default 0: any free port). */
  port?: number;
  /** Interface to listen on (default "127.0.0.1"). */
  host?: string;
}

/**
 * A running emulator: a `node:http` server on `url`, and `fetch` answering the same app in
 * process (for tests that need no socket). `close()` stops listening and closes every
 * connection, idle keep-alive ones included.
 */
export type RunningEmulator = Emulator;

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
    serveNodeRequest(app, req, res).catch((e: unknown) => {
      app.errors.push(e);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" }).end(String(e));
      else res.destroy();
    });
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

  return emulatorOf(app, url, close);
}
