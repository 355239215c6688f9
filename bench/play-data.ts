/**
 * The real DHIS2 data the memory benchmarks load (`../shared/dhis2/play`, read-only, never
 * copied into the repository) and a synthetic scale-up of its data values.
 */
import { createWriteStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";
import { dataValuesFromFile } from "@dhis2w/client/node";

export const PLAY = fileURLToPath(new URL("../../shared/dhis2/play", import.meta.url));
/** The Sierra Leone export: 188,701 values, 12 months of 2025, 1,086 facilities. */
export const REAL_VALUES = path.join(PLAY, "data_values.json.gz");
export const AUTH_HEADER = `Basic ${Buffer.from("admin:district").toString("base64")}`;

/** POSTs the real metadata (`metadata.json` plus the 1,332 org units) to `/api/metadata`. */
export async function importPlayMetadata(url: string): Promise<{ status: string; total: number }> {
  const meta = JSON.parse(await readFile(path.join(PLAY, "metadata.json"), "utf8")) as Record<
    string,
    unknown
  >;
  const organisationUnits: unknown = JSON.parse(
    await readFile(path.join(PLAY, "organisation_units.json"), "utf8"),
  );
  const res = await fetch(`${url}/api/metadata`, {
    method: "POST",
    headers: { Authorization: AUTH_HEADER, "Content-Type": "application/json" },
    body: JSON.stringify({ ...meta, organisationUnits }),
  });
  // v41+ wrap the import report in a WebMessage (`response`); older servers answer it bare.
  const body = (await res.json()) as {
    status?: string;
    stats?: { total?: number };
    response?: { status?: string; stats?: { total?: number } };
  };
  const status = body.response?.status ?? body.status ?? "";
  if (!res.ok) throw new Error(`POST /api/metadata: HTTP ${res.status} ${status}`);
  return { status, total: body.response?.stats?.total ?? body.stats?.total ?? 0 };
}

/**
 * Gives `admin` these capture org units over HTTP (`PATCH /api/users/{id}` with JSON Patch), as
 * on a real server: without them every data value would be refused with E7617.
 */
export async function assignAdminOrgUnits(url: string, orgUnits: readonly string[]): Promise<void> {
  const me = (await (
    await fetch(`${url}/api/me?fields=id`, { headers: { Authorization: AUTH_HEADER } })
  ).json()) as {
    id: string;
  };
  const res = await fetch(`${url}/api/users/${me.id}`, {
    method: "PATCH",
    headers: { Authorization: AUTH_HEADER, "Content-Type": "application/json-patch+json" },
    body: JSON.stringify([
      { op: "replace", path: "/organisationUnits", value: orgUnits.map((id) => ({ id })) },
    ]),
  });
  if (!res.ok) throw new Error(`PATCH /api/users/${me.id}: HTTP ${res.status}`);
}

/**
 * The ids of the real aggregate data elements (`metadata.json`): the 43 the values use. Tracker
 * ones would make analytics answer 409 E7115 (text values cannot aggregate).
 */
export async function playDataElementIds(): Promise<string[]> {
  const meta = JSON.parse(await readFile(path.join(PLAY, "metadata.json"), "utf8")) as {
    dataElements?: { id: string; domainType?: string }[];
  };
  return (meta.dataElements ?? []).filter((d) => d.domainType === "AGGREGATE").map((d) => d.id);
}

/**
 * Writes `scale` copies of the real values as gzipped JSON of the same shape, copy k with its
 * periods shifted k years back (2025 -> 2024 ...), so no two values collide. Returns the size.
 */
export async function writeScaledValues(target: string, scale: number): Promise<number> {
  async function* text(): AsyncGenerator<string> {
    yield '{"dataValues":[';
    let first = true;
    let batch = "";
    for (let rep = 0; rep < scale; rep++) {
      for await (const v of dataValuesFromFile(REAL_VALUES)) {
        const period = rep === 0 ? v.period : `${Number(v.period.slice(0, 4)) - rep}${v.period.slice(4)}`;
        batch += `${first ? "" : ","}${JSON.stringify({ ...v, period })}`;
        first = false;
        if (batch.length > 256 * 1024) {
          yield batch;
          batch = "";
        }
      }
    }
    yield `${batch}]}`;
  }
  await pipeline(Readable.from(text()), createGzip(), createWriteStream(target));
  return (await stat(target)).size;
}
