/**
 * Streamed answers: a WHATWG `ReadableStream` fed by a handler's `write()` calls, each of which
 * waits while the stream's queue is full. The queue only drains when the consumer (the `node:http`
 * adapter writing to a socket, a test reading `emu.fetch`'s body, a Service Worker's page) pulls,
 * so a slow reader holds the handler back and the emulator's memory stays flat however large the
 * answer (rawData, data value exports, CSV/XML grids).
 */
import { utf8 } from "./bytes.js";

/** Bytes a streamed answer may queue before `write()` waits for the consumer. */
export const STREAM_HIGH_WATER_MARK = 64 * 1024;

/** A chunked answer in progress (see `Ctx.stream`). */
export interface ResponseStream {
  /** Queues a chunk; resolves once the consumer has room for more (rejects when it went away). */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Ends the answer. */
  end(): Promise<void>;
}

/**
 * Counters over every streamed answer of one emulator (`emu.app.streams`): how much the handlers
 * produced, the most that ever sat in a stream's queue, and the most a wire adapter buffered on
 * top (the `node:http` socket's write buffer). Tests read them to prove back-pressure by bytes,
 * not by time.
 *
 * @example
 * const res = await emu.fetch(`${emu.url}/api/analytics/rawData.csv?...`, { headers });
 * await res.body!.getReader().read(); // one chunk, then stop reading
 * emu.app.streams.waiting; // 1: the handler waits for the reader
 */
export class StreamMeter {
  /** Bytes handlers wrote into streamed answers. */
  produced = 0;
  /** The largest number of bytes ever queued in one stream (written, not yet pulled). */
  peakQueued = 0;
  /** The largest write buffer a wire adapter held for one answer (bytes). */
  peakWireBuffered = 0;
  /** Writers currently waiting for the consumer. */
  waiting = 0;
  /** How many times a writer had to wait. */
  waits = 0;

  reset(): void {
    this.produced = this.peakQueued = this.peakWireBuffered = this.waiting = this.waits = 0;
  }
}

/** The error a write sees after the consumer went away. */
export function clientClosed(): Error {
  return new Error("The client closed the connection");
}

/** A stream and the handle a handler writes into it with. @internal */
export interface PushStream {
  readonly stream: ReadableStream<Uint8Array>;
  readonly sink: ResponseStream;
  /** Fails the stream (an error after the answer started: the consumer sees a broken body). */
  fail(error: unknown): void;
}

/**
 * Creates a push stream whose writes wait on the consumer's pulls. `onEnd` runs once the handler
 * ended the answer.
 */
export function pushStream(meter: StreamMeter, onEnd: () => void): PushStream {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let wake: { resolve(): void; reject(e: unknown): void } | undefined;
  let cancelled = false;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      // The consumer has room again: let a waiting writer go on.
      pull() {
        const w = wake;
        wake = undefined;
        w?.resolve();
      },
      cancel() {
        cancelled = true;
        const w = wake;
        wake = undefined;
        w?.reject(clientClosed());
      },
    },
    { highWaterMark: STREAM_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
  const sink: ResponseStream = {
    async write(chunk) {
      if (cancelled) throw clientClosed();
      if (closed) throw new Error("write() after end() of a streamed answer");
      const bytes = typeof chunk === "string" ? utf8(chunk) : chunk;
      if (bytes.length === 0) return;
      controller.enqueue(bytes);
      meter.produced += bytes.length;
      const desired = controller.desiredSize ?? 0;
      meter.peakQueued = Math.max(meter.peakQueued, STREAM_HIGH_WATER_MARK - desired);
      if (desired > 0) return;
      meter.waiting++;
      meter.waits++;
      try {
        await new Promise<void>((resolve, reject) => {
          wake = { resolve, reject };
        });
      } finally {
        meter.waiting--;
      }
    },
    async end() {
      if (closed || cancelled) return;
      closed = true;
      controller.close();
      onEnd();
    },
  };
  return {
    stream,
    sink,
    fail(error) {
      if (closed || cancelled) return;
      closed = true;
      controller.error(error);
    },
  };
}
