/**
 * Real HTTP and HTTPS servers on 127.0.0.1 that play named hosts (`dhis2.test`, `other.test`),
 * and a `fetch` for the client that reaches them: every host name resolves to 127.0.0.1 and a
 * self-signed certificate made for the test (with `openssl`) is trusted. The client's redirect and
 * handshake logic sees real sockets, TLS handshakes, status lines and headers; only name
 * resolution and the trust store are the test's.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { FetchLike } from "@dhis2w/client";

/** A key and self-signed certificate for `hosts` (DNS names), valid for a day. */
export interface TestCert {
  readonly key: string;
  readonly cert: string;
}

/** True when the `openssl` command is there to make a certificate. */
export function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function selfSignedCert(hosts: readonly string[]): TestCert {
  const dir = mkdtempSync(path.join(tmpdir(), "d2w-tls-"));
  try {
    const san = [...hosts.map((h) => `DNS:${h}`), "IP:127.0.0.1"].join(",");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
        "-days",
        "1",
        "-subj",
        `/CN=${hosts[0] ?? "localhost"}`,
        "-addext",
        `subjectAltName=${san}`,
      ],
      { stdio: "ignore" },
    );
    return {
      key: readFileSync(path.join(dir, "key.pem"), "utf8"),
      cert: readFileSync(path.join(dir, "cert.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a test server saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

export type TestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A running test server; `url(host)` is its address under a host name of the test's choosing. */
export interface TestServer {
  readonly port: number;
  readonly seen: SeenRequest[];
  url(host: string): string;
  close(): Promise<void>;
}

/** Starts an HTTP server, or an HTTPS one with `tls`, on 127.0.0.1 (any free port). */
export async function startServer(handler: TestHandler, tls?: TestCert): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    seen.push({
      method: req.method ?? "GET",
      host: req.headers.host ?? "",
      path: req.url ?? "/",
      authorization: req.headers.authorization,
    });
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  };
  const server = tls
    ? https.createServer({ key: tls.key, cert: tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = tls ? "https" : "http";
  return {
    port,
    seen,
    url: (host) => `${scheme}://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A handler that answers every request with a redirect to `to(path)`. */
export function redirectTo(to: (path: string) => string, status = 302): TestHandler {
  return (req, res) => {
    res.writeHead(status, { location: to(req.url ?? "/") }).end();
  };
}

/** A reverse proxy to `target` (e.g. the emulator): what a TLS-terminating nginx does. */
export function proxyTo(target: string, stripPrefix = ""): TestHandler {
  return (req, res) =>
    new Promise<void>((resolve) => {
      const url = new URL((req.url ?? "/").slice(stripPrefix.length) || "/", target);
      const upstream = http.request(url, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on("end", resolve);
      });
      upstream.on("error", () => {
        res.writeHead(502).end();
        resolve();
      });
      req.pipe(upstream);
    });
}

/** Answers `/…/api/system/info` like DHIS2: 401 JSON without credentials, the info with them. */
export function dhis2InfoLike(version = "2.42.4"): TestHandler {
  return (req, res) => {
    if (!(req.url ?? "").endsWith("/api/system/info")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"httpStatusCode":404}');
      return;
    }
    if (!req.headers.authorization) {
      res
        .writeHead(401, { "content-type": "application/json" })
        .end('{"httpStatus":"Unauthorized","httpStatusCode":401,"status":"ERROR","message":"Unauthorized"}');
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ version }));
  };
}

/**
 * A `fetch` over node:http/node:https that resolves every host name to 127.0.0.1 and trusts `ca`.
 * It never follows redirects (the client asks for `redirect: "manual"` and follows them itself).
 */
export function loopbackFetch(options: { ca?: string } = {}): FetchLike {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => {
        headers[k] = v;
      });
      const method = init?.method ?? "GET";
      const lookup = (
        _host: string,
        opts: { all?: boolean },
        cb: (
          err: Error | null,
          address: string | { address: string; family: number }[],
          family?: number,
        ) => void,
      ) => (opts.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4));
      const requestOptions = {
        method,
        headers,
        lookup,
        ...(init?.signal ? { signal: init.signal } : {}),
        ...(url.protocol === "https:" ? { ca: options.ca, servername: url.hostname } : {}),
      };
      const mod = url.protocol === "https:" ? https : http;
      const req = mod.request(url, requestOptions as https.RequestOptions, (res) => {
        const status = res.statusCode ?? 0;
        const resHeaders = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          resHeaders.append(res.rawHeaders[i] ?? "", res.rawHeaders[i + 1] ?? "");
        }
        const noBody = method === "HEAD" || status === 204 || status === 304;
        if (noBody) res.resume();
        const body = noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status, statusText: res.statusMessage ?? "", headers: resHeaders }));
      });
      req.on("error", (err) => reject(new TypeError("fetch failed", { cause: err })));
      const body = init?.body;
      if (body === undefined || body === null) req.end();
      else if (typeof body === "string" || body instanceof Uint8Array) req.end(body);
      else reject(new TypeError("loopbackFetch: only string and byte bodies"));
    });
}

/**
 * A reverse proxy to `target` that, for the requests `lose` picks, lets the upstream (DHIS2, the
 * emulator) answer in full and then drops the client's connection (`"reset"`) or never answers
 * (`"hang"`): the request was applied, the answer never arrives.
 */
export function losingProxy(
  target: string,
  lose: (req: IncomingMessage, n: number) => "reset" | "hang" | undefined,
): TestHandler {
  let n = 0;
  return (req, res) =>
    new Promise<void>((resolve) => {
      const fate = lose(req, n++);
      const url = new URL(req.url ?? "/", target);
      const upstream = http.request(url, { method: req.method, headers: req.headers }, (up) => {
        const chunks: Buffer[] = [];
        up.on("data", (c: Buffer) => chunks.push(c));
        up.on("end", () => {
          if (fate === "reset") req.socket.destroy();
          else if (fate === "hang") res.on("close", () => resolve());
          else {
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(chunks));
          }
          if (fate !== "hang") resolve();
        });
      });
      upstream.on("error", () => {
        res.writeHead(502).end();
        resolve();
      });
      req.pipe(upstream);
    });
}
