import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

/**
 * Pipes a response body into a writable (stdout, a socket...) without buffering it, and leaves
 * the writable open, so stdout stays usable. Resolves to the bytes written.
 */
export async function pipeBodyTo(res: Response, dest: Writable, signal?: AbortSignal): Promise<number> {
  if (!res.body) return 0;
  let bytes = 0;
  const source = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
  source.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
  });
  await pipeline(source, dest, { end: false, ...(signal ? { signal } : {}) });
  return bytes;
}
