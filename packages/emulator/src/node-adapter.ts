/**
 * The `node:http` adapter: an `IncomingMessage` becomes a WHATWG `Request` (its body a stream
 * that pauses the socket while the app is behind), the app's `Response` is written back with
 * back-pressure (each chunk waits for `drain`), and `Response.error()` (a dropped-connection
 * fault) destroys the socket.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorApp } from "./app.js";
import { clientClosed, STREAM_HIGH_WATER_MARK, type StreamMeter } from "./body-stream.js";

/** The request body as a stream that reads the socket only as fast as it is consumed. */
function requestBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  let discarding = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on("data", (chunk: Buffer) => {
          if (discarding) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on("end", () => {
          if (!discarding) controller.close();
        });
        req.on("error", (e) => {
          if (!discarding) controller.error(e);
        });
        req.pause();
      },
      pull() {
        req.resume();
      },
      // Not read to the end (a 413): throw the rest away so the answer can still be sent.
      cancel() {
        discarding = true;
        req.resume();
      },
    },
    { highWaterMark: STREAM_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

/** Writes a body to the socket, one chunk at a time, waiting for `drain` when its buffer is full. */
async function pipeBody(body: ReadableStream<Uint8Array>, res: ServerResponse, meter: StreamMeter) {
  const reader = body.getReader();
  const onClose = () => {
    if (!res.writableFinished) void reader.cancel(clientClosed()).catch(() => {});
  };
  res.on("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      const more = res.write(value);
      meter.peakWireBuffered = Math.max(meter.peakWireBuffered, res.writableLength);
      if (!more) await drainOrClose(res);
    }
    if (!res.destroyed) res.end();
  } catch {
    // The handler failed after the answer started: break the body, as a server would.
    res.destroy();
  } finally {
    res.off("close", onClose);
  }
}

/**
 * Serves one `node:http` request through the app.
 *
 * @example
 * createServer((req, res) => void serveNodeRequest(app, req, res));
 */
export async function serveNodeRequest(
  app: EmulatorApp,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  } catch {
    res.writeHead(400, { "Content-Type": "text/plain" }).end("Bad request target");
    return;
  }
  const gone = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) gone.abort(clientClosed());
  });
  const method = (req.method ?? "GET").toUpperCase();
  const hasBody =
    method !== "GET" &&
    method !== "HEAD" &&
    (req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0);
  let request: Request;
  try {
    request = new Request(url, {
      method,
      headers: requestHeaders(req),
      body: hasBody ? requestBody(req) : null,
      signal: gone.signal,
      // @ts-expect-error `duplex` is in undici's RequestInit, not yet in TypeScript's DOM lib.
      duplex: "half",
    });
  } catch {
    // Methods the Fetch standard forbids (CONNECT, TRACE, TRACK).
    res.writeHead(405, { "Content-Type": "text/plain" }).end(`Request method '${method}' is not supported`);
    return;
  }
  const response = await app.handle(request);
  if (response.type === "error") {
    req.socket.destroy();
    return;
  }
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
  if (!response.body) res.end();
  else await pipeBody(response.body, res, app.streams);
}
