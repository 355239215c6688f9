/**
 * Requests per second of `client.getRaw("/api/system/info")` against a raw `fetch` of the same
 * URL, 16 concurrent, fixed request count, both in one run, against a fixed-response node:http
 * server in its own process (pre-serialised body, no work per request), so what differs is the
 * client's own cost: auth headers, manual redirects, timeout, error mapping, JSON decoding.
 * Raw fetch is the limit; the goal is >= 0.95.
 */
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { type Benchmark, machineNote, throughput, today } from "./harness.js";
import { median, spawnFixedServer } from "./processes.js";

const GOAL = 0.95;
/** What a v42 server answers at /api/system/info (the fields the client reads, and some more). */
const SYSTEM_INFO = {
  contextPath: "http://127.0.0.1",
  version: "2.42.4",
  revision: "c0ffee1",
  buildTime: "2026-01-01T00:00:00.000",
  serverDate: "2026-01-01T00:00:00.000",
  serverTimeZoneId: "Etc/UTC",
  calendar: "iso8601",
  dateFormat: "yyyy-mm-dd",
  systemName: "DHIS 2",
};

const TOTAL = 1_000;
const CONCURRENCY = 16;
const ROUNDS = 12;

export const clientOverhead: Benchmark = {
  id: "client-overhead",
  title: "Client overhead: getRaw vs raw fetch",
  async run() {
    const server = await spawnFixedServer({ "/api/system/info": SYSTEM_INFO });
    await using _stop = { [Symbol.asyncDispose]: () => server.stop() };
    const emu = { url: server.url };
    await using client = await Dhis2Client.open({
      baseUrl: emu.url,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    const url = `${emu.url}/api/system/info`;
    const headers = { Authorization: `Basic ${btoa("admin:district")}`, Accept: "application/json" };
    const viaFetch = async () => {
      const res = await fetch(url, { headers });
      if (!res.ok) throw new Error(`fetch: HTTP ${res.status}`);
      return res.json();
    };
    // What the pipeline must ask of fetch: manual redirects (credentials stay on the DHIS2 host)
    // and a signal per request for the timeout and close(). Its cost is fetch's, not the client's.
    const viaFetchLikePipeline = async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 60_000);
      try {
        const res = await fetch(url, { headers, redirect: "manual", signal: controller.signal });
        if (!res.ok) throw new Error(`fetch: HTTP ${res.status}`);
        return await res.json();
      } finally {
        clearTimeout(timer);
      }
    };
    const viaClient = () => client.getRaw("/api/system/info");
    const sides = [
      ["raw fetch", viaFetch],
      ["fetch, redirect manual + signal and timer", viaFetchLikePipeline],
      ["client.getRaw", viaClient],
    ] as const;

    // Warm every path (JIT, keep-alive sockets), then short rounds running each side once,
    // rotating which goes first: on a shared machine load drifts, and a round sees the same
    // drift. A ratio is the median of the per-round ratios.
    for (const [, task] of sides) await throughput(500, CONCURRENCY, task);
    const rps: number[][] = sides.map(() => []);
    for (let i = 0; i < ROUNDS; i++) {
      for (let j = 0; j < sides.length; j++) {
        const k = (i + j) % sides.length;
        rps[k]?.push(await throughput(TOTAL, CONCURRENCY, sides[k]![1]));
      }
    }
    const ratioTo = (k: number, base: number) => median(rps[k]!.map((x, i) => x / rps[base]![i]!));
    const ratio = ratioTo(2, 0);
    const limit = ratioTo(1, 0);
    const vsLimit = ratioTo(2, 1);
    const verdict = ratio >= GOAL ? `meets the ${GOAL} goal` : `below the ${GOAL} goal`;
    const row = (k: number) =>
      `| ${sides[k]![0]} | ${Math.round(median(rps[k]!))} | ${k === 0 ? "1" : ratioTo(k, 0).toFixed(2)} | ${rps[k]!.map(Math.round).join(", ")} |`;
    return {
      lines: [
        ...sides.map(([name], k) => `${name}: ${Math.round(median(rps[k]!))} req/s (median of ${ROUNDS})`),
        `ratio client / raw fetch: ${ratio.toFixed(2)} (${verdict})`,
        `ratio fetch with the pipeline's init / raw fetch (the limit): ${limit.toFixed(2)}`,
        `ratio client / fetch with the pipeline's init: ${vsLimit.toFixed(2)}`,
      ],
      markdown: [
        `\`client.getRaw("/api/system/info")\` against raw \`fetch\` of the same URL (Basic auth, JSON`,
        `decoded on both sides) against a fixed-response node:http server in its own process (pre-serialised`,
        `body), ${CONCURRENCY} concurrent, ${TOTAL} requests per side per round, ${ROUNDS} rounds after a warm-up,`,
        "rotating which side goes first; a ratio is the median of the per-round ratios. The middle row is",
        "fetch asked for what the pipeline needs of it (manual redirects, so credentials stay on the",
        "DHIS2 host; an AbortController and timer per request, for the timeout and `close()`): the",
        "limit a client with those guarantees can reach, whatever its own code does.",
        "",
        "| path | req/s (median) | ratio to raw fetch | rounds |",
        "|---|---|---|---|",
        ...sides.map((_, k) => row(k)),
        "",
        `**Ratio client / raw fetch: ${ratio.toFixed(2)}** (goal >= ${GOAL}: ${verdict}). Fetch with the`,
        `pipeline's init reaches ${limit.toFixed(2)} of raw fetch; the client reaches ${vsLimit.toFixed(2)} of that.`,
        "",
        `Measured ${today()} on ${machineNote()}. Client and server share the machine's cores (and`,
        "other work), so absolute numbers are modest; the ratio is the figure to watch.",
      ].join("\n"),
    };
  },
};
