/**
 * `client.analytics.streamTo` of a large `/api/analytics/rawData.csv` export against a plain
 * `fetch` piped to a file (`Readable.fromWeb` + `pipeline`), same emulator, same query, paired
 * rounds alternating which goes first. Reports the time ratio (fetch / streamTo; aim >= 0.9) and
 * the peak heap growth during each download at two export sizes: streaming keeps it flat as the
 * file grows. The emulator runs in the same process and builds its answer in memory, so both
 * sides include that; the difference between them is what the client adds.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { startEmulator } from "@dhis2w/emulator";
import { createAnalytics } from "../packages/client/src/analytics/index.js";
import "../packages/client/src/node/analytics-stream.js";
import { type Benchmark, machineNote, today } from "./harness.js";

const ROUNDS = 6;

async function peakHeap<T>(task: () => Promise<T>): Promise<{ ms: number; peakMb: number }> {
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  const t0 = performance.now();
  await task();
  const ms = performance.now() - t0;
  clearInterval(timer);
  return { ms, peakMb: (Math.max(peak, process.memoryUsage().heapUsed) - base) / 1e6 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export const analyticsStream: Benchmark = {
  id: "analytics-stream",
  title: "Analytics export: streamTo vs fetch piped to a file",
  async run() {
    await using emu = await startEmulator({ version: "v42", port: 0, seed: "demo" });
    const demo = emu.app.demo;
    if (!demo) throw new Error("demo seed missing");
    await using client = await Dhis2Client.open({
      baseUrl: emu.url,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    const years = Array.from({ length: 10 }, (_, i) => 2015 + i);
    for (const year of years) {
      const dataValues = demo.dataElements.flatMap((de, d) =>
        demo.facilities.flatMap((ou, f) =>
          Array.from({ length: 12 }, (_, m) => ({
            dataElement: de,
            period: `${year}${String(m + 1).padStart(2, "0")}`,
            orgUnit: ou,
            value: String((d * 31 + f * 7 + m) % 97),
          })),
        ),
      );
      await client.postRaw("/api/dataValueSets", { dataValues });
    }
    const dir = await mkdtemp(path.join(tmpdir(), "dhis2w-bench-analytics-"));
    const analytics = createAnalytics(client);
    const headers = { Authorization: `Basic ${btoa("admin:district")}` };
    const lines: string[] = [];
    const table: string[] = [];
    try {
      for (const span of [1, 10]) {
        const pe = years.slice(-span).join(";");
        const dimension = [`dx:${demo.dataElements.join(";")}`, `pe:${pe}`, `ou:${demo.root}`];
        const url = new URL(`${emu.url}/api/analytics/rawData.csv`);
        for (const d of dimension) url.searchParams.append("dimension", d);
        const viaStream = () =>
          analytics.streamTo(path.join(dir, "a.csv"), { endpoint: "rawData", params: { dimension } });
        const viaFetch = async () => {
          const res = await fetch(url, { headers });
          if (!res.ok || !res.body) throw new Error(`fetch: HTTP ${res.status}`);
          await pipeline(
            Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>),
            createWriteStream(path.join(dir, "b.csv")),
          );
        };
        await viaStream();
        await viaFetch();
        const s: { ms: number; peakMb: number }[] = [];
        const f: { ms: number; peakMb: number }[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          if (i % 2 === 0) {
            s.push(await peakHeap(viaStream));
            f.push(await peakHeap(viaFetch));
          } else {
            f.push(await peakHeap(viaFetch));
            s.push(await peakHeap(viaStream));
          }
        }
        const size = (await stat(path.join(dir, "a.csv"))).size / 1e6;
        const ratio = median(f.map((x, i) => x.ms / (s[i]?.ms ?? 1)));
        const row = `| ${span} year(s) | ${size.toFixed(1)} MB | ${median(f.map((x) => x.ms)).toFixed(0)} | ${median(s.map((x) => x.ms)).toFixed(0)} | ${ratio.toFixed(2)} | ${median(f.map((x) => x.peakMb)).toFixed(1)} | ${median(s.map((x) => x.peakMb)).toFixed(1)} |`;
        table.push(row);
        lines.push(`${span}y ${size.toFixed(1)} MB: fetch/streamTo time ratio ${ratio.toFixed(2)}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return {
      lines,
      markdown: `\`client.analytics.streamTo(path, { endpoint: "rawData" })\` against \`fetch\` piped to a file
(\`Readable.fromWeb\` + \`pipeline\`) of the same \`/api/analytics/rawData.csv\` (8 data elements x
48 facilities x 12 months per year), ${ROUNDS} paired rounds alternating order; medians. Peak heap is
the growth of \`heapUsed\` during one download, sampled every 2 ms (it includes the in-process
emulator building its answer, on both sides).

| export | size | fetch ms | streamTo ms | ratio fetch/streamTo | fetch peak heap MB | streamTo peak heap MB |
|---|---|---|---|---|---|---|
${table.join("\n")}

Measured ${today()} on ${machineNote()}.`,
    };
  },
};
