/**
 * Requests per second of `client.getRaw("/api/system/info")` against a raw `fetch` of the same
 * URL on the same emulator, 16 concurrent, fixed request count, both in one run. The ratio says
 * what the client's pipeline (auth headers, manual redirects, timeout, error mapping, JSON
 * decoding) costs; the aim is >= 0.9.
 */
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { startEmulator } from "@dhis2w/emulator";
import { type Benchmark, machineNote, throughput, today } from "./harness.js";

const TOTAL = 1_000;
const CONCURRENCY = 16;
const ROUNDS = 12;

export const clientOverhead: Benchmark = {
  id: "client-overhead",
  title: "Client overhead: getRaw vs raw fetch",
  async run() {
    await using emu = await startEmulator({ version: "v42", port: 0, seed: "empty" });
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
    const viaClient = () => client.getRaw("/api/system/info");

    // Warm both paths (JIT, keep-alive sockets), then run short paired rounds, alternating which
    // goes first: on a shared machine load drifts, and a pair sees the same drift. The ratio is
    // the median of the per-pair ratios.
    await throughput(500, CONCURRENCY, viaFetch);
    await throughput(500, CONCURRENCY, viaClient);
    const fetchRps: number[] = [];
    const clientRps: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? ([viaFetch, viaClient] as const) : ([viaClient, viaFetch] as const);
      const a = await throughput(TOTAL, CONCURRENCY, order[0]);
      const b = await throughput(TOTAL, CONCURRENCY, order[1]);
      const [f, c] = i % 2 === 0 ? [a, b] : [b, a];
      fetchRps.push(f);
      clientRps.push(c);
      ratios.push(c / f);
    }
    const median = (xs: number[]) => {
      const s = [...xs].sort((x, y) => x - y);
      const mid = Math.floor(s.length / 2);
      return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
    };
    const best = median;
    const ratio = median(ratios);
    const verdict = ratio >= 0.9 ? "meets the 0.9 aim" : "below the 0.9 aim";
    const row = (name: string, xs: number[]) =>
      `| ${name} | ${Math.round(best(xs))} | ${xs.map(Math.round).join(", ")} |`;
    return {
      lines: [
        `raw fetch:            ${Math.round(best(fetchRps))} req/s (median of ${ROUNDS})`,
        `client.getRaw:        ${Math.round(best(clientRps))} req/s (median of ${ROUNDS})`,
        `ratio client / fetch: ${ratio.toFixed(2)} (${verdict})`,
      ],
      markdown: [
        `\`client.getRaw("/api/system/info")\` against raw \`fetch\` of the same URL (Basic auth, JSON`,
        `decoded on both sides) on one emulator (v42), ${CONCURRENCY} concurrent, ${TOTAL} requests per round,`,
        `${ROUNDS} paired rounds after a warm-up, alternating which side goes first; the ratio is the`,
        "median of the per-pair ratios.",
        "",
        "| path | req/s (median) | rounds |",
        "|---|---|---|",
        row("raw fetch", fetchRps),
        row("client.getRaw", clientRps),
        "",
        `**Ratio client / fetch: ${ratio.toFixed(2)}** (${verdict}).`,
        "",
        `Measured ${today()} on ${machineNote()}. Client and emulator share the machine's cores, so`,
        "absolute numbers are modest; the ratio is the figure to watch.",
      ].join("\n"),
    };
  },
};
