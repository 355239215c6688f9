/**
 * `client.resources.organisationUnits.iterate(...)` over all 1,332 real org units (Sierra Leone,
 * from ../shared; 1,332 synthetic ones when that is absent) against a hand-written `fetch` loop
 * over the same pages, served pre-serialised by a fixed-response node:http server in its own
 * process (so what differs is the clients' own cost). The ratio says what the typed accessor (query
 * validation, paging, the request pipeline) costs over the bare loop; the aim is >= 0.95.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { BasicAuth, Dhis2Client, generateUid } from "@dhis2w/client";
import { type Benchmark, machineNote, today } from "./harness.js";
import { spawnFixedServer } from "./processes.js";

const ORG_UNITS = fileURLToPath(new URL("../../shared/dhis2/play/organisation_units.json", import.meta.url));
const PAGE_SIZE = 50;
const FIELDS = "id,name,level,parent[id]";
const ROUNDS = 12;
/** Walks of all pages per side per round: enough time per round to rise above timer noise. */
const WALKS = 3;

type OrgUnit = { id: string; name: string; shortName: string; openingDate: string; parent?: { id: string } };

/** 1 country, 14 districts, 1,317 facilities spread over them: 1,332 like the real tree. */
function syntheticOrgUnits(): OrgUnit[] {
  const unit = (name: string, parent?: string): OrgUnit => ({
    id: generateUid(),
    name,
    shortName: name.slice(0, 50),
    openingDate: "1990-01-01T00:00:00.000",
    ...(parent ? { parent: { id: parent } } : {}),
  });
  const root = unit("Synthetic country");
  const districts = Array.from({ length: 14 }, (_, i) => unit(`District ${i + 1}`, root.id));
  const facilities = Array.from({ length: 1317 }, (_, i) =>
    unit(`Facility ${i + 1}`, districts[i % districts.length]!.id),
  );
  return [root, ...districts, ...facilities];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * The client's own CPU per page, without a server: the same 27-page walk through an injected
 * `fetch` that answers canned pages, bare loop vs `iterate`, microseconds per page (median of
 * rounds). Separates what the client costs from the emulator's share and the machine's noise.
 */
async function cpuPerPage(sample: readonly OrgUnit[]): Promise<{ bare: number; client: number }> {
  const pageCount = Math.ceil(sample.length / PAGE_SIZE);
  const pages = Array.from({ length: pageCount }, (_, i) =>
    JSON.stringify({
      pager: { page: i + 1, pageCount, total: sample.length, pageSize: PAGE_SIZE },
      organisationUnits: sample.slice(i * PAGE_SIZE, (i + 1) * PAGE_SIZE).map((o) => ({
        id: o.id,
        name: o.name,
        level: 1,
        ...(o.parent ? { parent: o.parent } : {}),
      })),
    }),
  );
  const json = { "Content-Type": "application/json" };
  const canned = async (input: string | URL | Request): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === "/api/system/info")
      return new Response(JSON.stringify({ version: "2.42.4" }), { headers: json });
    return new Response(pages[Number(url.searchParams.get("page") ?? "1") - 1] ?? "{}", { headers: json });
  };
  await using client = await Dhis2Client.open({
    baseUrl: "http://canned.invalid",
    version: "v42",
    fetch: canned,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  const bare = async () => {
    for (let page = 1; ; page++) {
      const res = await canned(
        `http://canned.invalid/api/organisationUnits?fields=${encodeURIComponent(FIELDS)}&pageSize=${PAGE_SIZE}&page=${page}`,
      );
      const body = (await res.json()) as { pager: { pageCount: number } };
      if (page >= body.pager.pageCount) return;
    }
  };
  const viaClient = async () => {
    for await (const _ of client.resources.organisationUnits.iterate({
      pageSize: PAGE_SIZE,
      fields: FIELDS,
    })) {
      // only the walk is measured
    }
  };
  const perPage = async (walk: () => Promise<void>) => {
    const started = performance.now();
    for (let i = 0; i < 20; i++) await walk();
    return ((performance.now() - started) * 1000) / (20 * pageCount);
  };
  await perPage(bare);
  await perPage(viaClient);
  const bareUs: number[] = [];
  const clientUs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bareUs.push(await perPage(bare));
    clientUs.push(await perPage(viaClient));
  }
  return { bare: median(bareUs), client: median(clientUs) };
}

export const iterateOrgUnits: Benchmark = {
  id: "iterate-org-units",
  title: "Iterate org units: resources.organisationUnits.iterate vs a fetch loop",
  async run() {
    const real = existsSync(ORG_UNITS);
    const orgUnits: OrgUnit[] = real ? JSON.parse(await readFile(ORG_UNITS, "utf8")) : syntheticOrgUnits();
    const pageCount = Math.ceil(orgUnits.length / PAGE_SIZE);
    const bodies: Record<string, unknown> = {
      "/api/system/info": { version: "2.42.4", revision: "c0ffee1" },
    };
    for (let i = 0; i < pageCount; i++) {
      bodies[`/api/organisationUnits?page=${i + 1}`] = {
        pager: { page: i + 1, pageCount, total: orgUnits.length, pageSize: PAGE_SIZE },
        organisationUnits: orgUnits.slice(i * PAGE_SIZE, (i + 1) * PAGE_SIZE).map((o) => ({
          id: o.id,
          name: o.name,
          level: o.parent ? 2 : 1,
          ...(o.parent ? { parent: { id: o.parent.id } } : {}),
        })),
      };
    }
    const server = await spawnFixedServer(bodies);
    await using _stop = { [Symbol.asyncDispose]: () => server.stop() };
    const emu = { url: server.url };
    await using client = await Dhis2Client.open({
      baseUrl: emu.url,
      version: "v42",
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });

    const viaClient = async (): Promise<number> => {
      let n = 0;
      for await (const ou of client.resources.organisationUnits.iterate({
        pageSize: PAGE_SIZE,
        fields: FIELDS,
      })) {
        if (ou.id) n++;
      }
      return n;
    };
    const headers = { Authorization: `Basic ${btoa("admin:district")}`, Accept: "application/json" };
    const viaFetch = async (): Promise<number> => {
      let n = 0;
      for (let page = 1; ; page++) {
        const url = `${emu.url}/api/organisationUnits?fields=${encodeURIComponent(FIELDS)}&pageSize=${PAGE_SIZE}&page=${page}`;
        const res = await fetch(url, { headers });
        if (!res.ok) throw new Error(`fetch: HTTP ${res.status}`);
        const body = (await res.json()) as {
          pager?: { pageCount?: number };
          organisationUnits: { id: string }[];
        };
        for (const ou of body.organisationUnits) if (ou.id) n++;
        if (body.organisationUnits.length === 0 || page >= (body.pager?.pageCount ?? page)) return n;
      }
    };
    /** Items per second over `WALKS` full walks. */
    const rate = async (walk: () => Promise<number>): Promise<number> => {
      const started = performance.now();
      let items = 0;
      for (let i = 0; i < WALKS; i++) {
        const n = await walk();
        if (n !== orgUnits.length) throw new Error(`walk saw ${n} of ${orgUnits.length} org units`);
        items += n;
      }
      return items / ((performance.now() - started) / 1000);
    };

    // Warm both (JIT, keep-alive sockets), then paired rounds alternating which side goes first,
    // so both sides of a pair see the same load drift; the ratio is the median of the pairs.
    await rate(viaFetch);
    await rate(viaClient);
    const fetchRates: number[] = [];
    const clientRates: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const clientFirst = i % 2 === 1;
      const a = await rate(clientFirst ? viaClient : viaFetch);
      const b = await rate(clientFirst ? viaFetch : viaClient);
      const [f, c] = clientFirst ? [b, a] : [a, b];
      fetchRates.push(f);
      clientRates.push(c);
      ratios.push(c / f);
    }
    const ratio = median(ratios);
    const cpu = await cpuPerPage(orgUnits);
    const cpuLine = `client CPU per page (canned fetch, no server): bare loop ${cpu.bare.toFixed(0)} µs, iterate ${cpu.client.toFixed(0)} µs`;
    const verdict = ratio >= 0.95 ? "meets the 0.95 goal" : "below the 0.95 goal";
    const source = real ? "the 1,332 real Sierra Leone org units" : `${orgUnits.length} synthetic org units`;
    const pages = Math.ceil(orgUnits.length / PAGE_SIZE);
    const row = (name: string, xs: number[]) =>
      `| ${name} | ${Math.round(median(xs))} | ${xs.map(Math.round).join(", ")} |`;
    return {
      lines: [
        `data: ${source}, ${pages} pages of ${PAGE_SIZE}`,
        `fetch loop:           ${Math.round(median(fetchRates))} org units/s (median of ${ROUNDS})`,
        `client iterate:       ${Math.round(median(clientRates))} org units/s (median of ${ROUNDS})`,
        `ratio client / fetch: ${ratio.toFixed(2)} (${verdict})`,
        cpuLine,
      ],
      markdown: [
        `\`client.resources.organisationUnits.iterate({ pageSize: ${PAGE_SIZE}, fields: "${FIELDS}" })\``,
        `against a hand-written \`fetch\` loop over the same ${pages} pages (Basic auth, JSON decoded, stops`,
        `on the pager's \`pageCount\`), served as pre-serialised pages of ${source} by a fixed-response`,
        `node:http server in its own process. Each round walks all pages ${WALKS} times per side;`,
        `${ROUNDS} paired rounds after a warm-up, alternating which side goes first; the ratio is the`,
        "median of the per-pair ratios.",
        "",
        "| path | org units/s (median) | rounds |",
        "|---|---|---|",
        row("fetch loop", fetchRates),
        row("client iterate", clientRates),
        "",
        `**Ratio client / fetch: ${ratio.toFixed(2)}** (${verdict}).`,
        "",
        `The client's own share, measured without a server (an injected \`fetch\` answering the same`,
        `pages from memory, ${ROUNDS} rounds of 20 walks): bare loop ${cpu.bare.toFixed(0)} µs per page,`,
        `\`iterate\` ${cpu.client.toFixed(0)} µs per page, against ~${((1000 * PAGE_SIZE) / median(fetchRates)).toFixed(1)} ms per page`,
        "of a round trip to the server above.",
        "",
        `Measured ${today()} on ${machineNote()}. Client and server share the machine's cores; the`,
        "ratio is the figure to watch.",
      ].join("\n"),
    };
  },
};
