/**
 * The chunked import engine over a stub transport: chunking, index remapping, failed chunks,
 * ordered progress under concurrency, and the row accounting.
 */
import { describe, expect, it } from "vitest";
import { createDataValues } from "../src/data-values/data-values.js";
import type { DataValue } from "../src/data-values/schemas.js";
import type { DataValuesHttp } from "../src/data-values/transport.js";
import { Dhis2ApiError } from "../src/http/errors/api-error.js";

const rows = (n: number): DataValue[] =>
  Array.from({ length: n }, (_, i) => ({
    dataElement: "deA",
    period: "202401",
    orgUnit: `ou${i}`,
    value: String(i),
  }));

type Post = (body: { dataValues: DataValue[] }, call: number) => Promise<unknown>;

function stub(post: Post): DataValuesHttp & { bodies: { dataValues: DataValue[]; dataSet?: string }[] } {
  const bodies: { dataValues: DataValue[] }[] = [];
  return {
    bodies,
    getRaw: async () => ({}),
    deleteRaw: async () => ({}),
    postRaw: async (_path, body) => {
      const b = body as { dataValues: DataValue[] };
      bodies.push(b);
      return post(b, bodies.length - 1);
    },
  };
}

/** Answers like DHIS2: rows whose orgUnit is "bad" are conflicts (409 WARNING), the rest imported. */
const dhis2Like: Post = async (body) => {
  const bad = body.dataValues.flatMap((v, i) => (v.orgUnit === "bad" ? [i] : []));
  const summary = {
    responseType: "ImportSummary",
    status: bad.length ? "WARNING" : "SUCCESS",
    importCount: {
      imported: body.dataValues.length - bad.length,
      updated: 0,
      ignored: bad.length,
      deleted: 0,
    },
    conflicts: bad.length
      ? [
          {
            object: "bad",
            objects: { organisationUnit: "bad" },
            value: "Organisation unit not found or not accessible: `bad`",
            errorCode: "E7612",
            property: "orgUnit",
            indexes: bad,
          },
        ]
      : [],
    rejectedIndexes: bad,
  };
  const message = {
    httpStatus: bad.length ? "Conflict" : "OK",
    httpStatusCode: bad.length ? 409 : 200,
    status: bad.length ? "WARNING" : "OK",
    response: summary,
  };
  if (bad.length) {
    throw new Dhis2ApiError({
      statusCode: 409,
      serverMessage: "One more conflicts encountered",
      body: message,
      method: "POST",
      url: "http://x/api/dataValueSets",
    });
  }
  return message;
};

describe("dataValues.import chunking", () => {
  it("reports a conflict in row k of a later chunk as row k of the input", async () => {
    const http = stub(dhis2Like);
    const input = rows(25);
    const k = 16; // chunk 3 of size 5, row 1 within it
    input[k] = { ...(input[k] as DataValue), orgUnit: "bad" };
    const result = await createDataValues(http).import(input, { chunkSize: 5 });
    expect(http.bodies.map((b) => b.dataValues.length)).toEqual([5, 5, 5, 5, 5]);
    expect(result.conflicts).toEqual([expect.objectContaining({ errorCode: "E7612", indexes: [k] })]);
    expect(result.rejectedIndexes).toEqual([k]);
    expect(result.importCount).toEqual({ imported: 24, updated: 0, ignored: 1, deleted: 0 });
    expect(result).toMatchObject({ rowsRead: 25, balanced: true, unaccounted: 0, status: "WARNING" });
  });

  it("merges the same conflict across chunks into one with every original index", async () => {
    const input = rows(12).map((v, i) => (i % 5 === 0 ? { ...v, orgUnit: "bad" } : v));
    const result = await createDataValues(stub(dhis2Like)).import(input, { chunkSize: 4 });
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0]?.indexes).toEqual([0, 5, 10]);
  });

  it("reports a failed chunk with its row range and goes on", async () => {
    const http = stub(async (body, call) => {
      if (call === 1)
        throw new Dhis2ApiError({
          statusCode: 502,
          serverMessage: "Bad Gateway",
          body: "<html>",
          method: "POST",
          url: "u",
        });
      return dhis2Like(body, call);
    });
    const result = await createDataValues(http).import(rows(10), { chunkSize: 4 });
    expect(result.failedChunks).toHaveLength(1);
    expect(result.failedChunks[0]).toMatchObject({ chunk: 1, firstRow: 4, lastRow: 7, rows: 4, status: 502 });
    expect(result.failedChunks[0]?.error.message).toMatch(/Bad Gateway/);
    expect(result.importCount.imported).toBe(6);
    expect(result).toMatchObject({ rowsRead: 10, rowsInFailedChunks: 4, balanced: true, status: "WARNING" });
  });

  it("treats an answer that is not an ImportSummary as a failed chunk", async () => {
    const http = stub(async () => ({ data: "<html>login</html>" }));
    const result = await createDataValues(http).import(rows(3));
    expect(result.failedChunks[0]?.error.message).toMatch(/not an ImportSummary/);
    expect(result.status).toBe("ERROR");
  });

  it("stops after the first failed chunk with stopOnChunkError", async () => {
    const http = stub(async (body, call) => {
      if (call === 0) throw new TypeError("fetch failed");
      return dhis2Like(body, call);
    });
    const result = await createDataValues(http).import(rows(20), { chunkSize: 5, stopOnChunkError: true });
    expect(result.stopped).toBe(true);
    expect(http.bodies).toHaveLength(1);
    expect(result).toMatchObject({ rowsRead: 5, rowsInFailedChunks: 5, balanced: true });
  });

  it("flags a summary whose counts do not add up to the rows sent", async () => {
    const http = stub(async (body) => ({
      response: { responseType: "ImportSummary", importCount: { imported: body.dataValues.length - 1 } },
    }));
    const result = await createDataValues(http).import(rows(6), { chunkSize: 3 });
    expect(result).toMatchObject({ balanced: false, unaccounted: 2 });
  });

  it("keeps progress in input order with several chunks in flight", async () => {
    const delays = [30, 1, 15, 1];
    const http = stub(async (body, call) => {
      await new Promise((r) => setTimeout(r, delays[call] ?? 0));
      return dhis2Like(body, call);
    });
    const seen: number[] = [];
    const result = await createDataValues(http).import(rows(16), {
      chunkSize: 4,
      concurrency: 3,
      onProgress: (p) => seen.push(p.chunk),
    });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(result.importCount.imported).toBe(16);
  });

  it("sends the set-level fields and the dataSet option with every chunk", async () => {
    const http = stub(dhis2Like);
    await createDataValues(http).import(
      { period: "202401", dataValues: rows(4) },
      { chunkSize: 2, dataSet: "dsA" },
    );
    expect(http.bodies.map((b) => [b.dataSet, (b as { period?: string }).period])).toEqual([
      ["dsA", "202401"],
      ["dsA", "202401"],
    ]);
  });

  it("reads async iterables lazily and names a broken row", async () => {
    async function* gen() {
      yield* rows(3);
      yield 42 as unknown as DataValue;
    }
    await expect(createDataValues(stub(dhis2Like)).import(gen(), { chunkSize: 10 })).rejects.toThrow(
      /row 3 is not an object/,
    );
  });
});
