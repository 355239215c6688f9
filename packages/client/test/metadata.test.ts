import { describe, expect, it } from "vitest";
import {
  createMetadataAccessor,
  type MetadataBundle,
  MetadataImportReport,
  QueryValidationError,
  type ResourceTable,
} from "../src/resources/index.js";
import { stub } from "./support/raw-surface.js";

/** Mirrors the client's Dhis2ApiError shape (statusCode + parsed body). */
class FakeApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${statusCode}`);
  }
}

const def = (plural: string, metadata = true) => ({
  singular: plural.slice(0, -1),
  plural,
  klass: `org.hisp.dhis.${plural}`,
  endpoint: `/api/${plural}`,
  metadata,
  identifiable: true,
  properties: {
    id: { name: "id", propertyType: "IDENTIFIER" },
    code: { name: "code", propertyType: "TEXT" },
  },
});
const table: ResourceTable = {
  dataElements: def("dataElements"),
  categoryCombos: def("categoryCombos"),
  dataValues: def("dataValues", false),
};

// The shape DHIS2 2.42 answers on a failed /api/metadata import (409, WebMessage + ImportReport).
const conflict = {
  httpStatus: "Conflict",
  httpStatusCode: 409,
  status: "ERROR",
  message: "One or more errors occurred, please see full details in import report.",
  response: {
    responseType: "ImportReport",
    status: "ERROR",
    stats: { created: 0, updated: 0, deleted: 0, ignored: 2, total: 2 },
    typeReports: [
      {
        klass: "org.hisp.dhis.dataelement.DataElement",
        stats: { created: 0, updated: 0, deleted: 0, ignored: 2, total: 2 },
        objectReports: [
          {
            klass: "org.hisp.dhis.dataelement.DataElement",
            index: 1,
            uid: "deUid000001",
            errorReports: [
              {
                message: "Missing required property `shortName`",
                mainKlass: "org.hisp.dhis.dataelement.DataElement",
                errorCode: "E4000",
                errorProperty: "shortName",
              },
              {
                message: "Missing required property `valueType`",
                errorCode: "E4000",
                errorProperty: "valueType",
              },
            ],
          },
        ],
      },
    ],
  },
};

describe("metadata.export", () => {
  it("builds DHIS2's per-type query syntax", async () => {
    const client = stub(() => ({ dataElements: [] }));
    await createMetadataAccessor(client, table).export({
      types: ["dataElements", "categoryCombos"],
      filters: { dataElements: ["code:like:ANC", "id:in:[a,b]"] },
      fields: { dataElements: "id,name", categoryCombos: ":owner" },
      order: "name:asc",
      skipSharing: true,
      defaults: "EXCLUDE",
    });
    expect(client.calls[0]).toMatchObject({
      method: "GET",
      path: "/api/metadata",
      params: {
        dataElements: "true",
        categoryCombos: "true",
        "dataElements:filter": ["code:like:ANC", "id:in:[a,b]"],
        "dataElements:fields": "id,name",
        "categoryCombos:fields": ":owner",
        order: "name:asc",
        skipSharing: "true",
        defaults: "EXCLUDE",
      },
    });
  });

  it("sends global filters as filter=", async () => {
    const client = stub(() => ({}));
    await createMetadataAccessor(client, table).export({
      types: ["dataElements"],
      filters: "code:eq:X",
      fields: "id",
    });
    expect(client.calls[0]?.params).toMatchObject({
      dataElements: "true",
      filter: ["code:eq:X"],
      fields: "id",
    });
  });

  it("rejects unknown or non-metadata types and bad filters before any request", async () => {
    const client = stub(() => ({}));
    const md = createMetadataAccessor(client, table);
    await expect(md.export({ types: ["dataElement"] })).rejects.toThrow(/did you mean "dataElements"/);
    await expect(md.export({ types: ["dataValues"] })).rejects.toThrow(/not a metadata type/);
    await expect(md.export({ types: [] })).rejects.toBeInstanceOf(QueryValidationError);
    await expect(
      md.export({ types: ["dataElements"], filters: { dataElements: "code:eqq:x" } }),
    ).rejects.toThrow(/unknown operator "eqq"/);
    await expect(
      md.export({ types: ["dataElements"], filters: { dataElements: "cdoe:eq:x" } }),
    ).rejects.toThrow(/dataElements has no property "cdoe"/);
    await expect(
      md.export({ types: ["dataElements"], fields: { categoryCombos: "id" } as unknown as string }),
    ).rejects.toThrow(/not in types/);
    expect(client.calls).toHaveLength(0);
  });
});

describe("metadata.import", () => {
  it("maps options to DHIS2 parameters (dryRun -> importMode=VALIDATE)", async () => {
    const client = stub(() => ({
      httpStatusCode: 200,
      status: "OK",
      response: { ...conflict.response, status: "OK", typeReports: [] },
    }));
    const report = await createMetadataAccessor(client, table).import(
      { dataElements: [{ id: "deUid000001" }] },
      { dryRun: true, importStrategy: "CREATE", atomicMode: "NONE", identifier: "CODE", skipSharing: true },
    );
    expect(report.ok).toBe(true);
    expect(client.calls[0]).toMatchObject({
      method: "POST",
      path: "/api/metadata",
      params: {
        importMode: "VALIDATE",
        importStrategy: "CREATE",
        atomicMode: "NONE",
        identifier: "CODE",
        skipSharing: "true",
      },
    });
  });

  it("quirk: returns the report of a 409 instead of throwing it away, with every error flattened", async () => {
    const client = stub(() => {
      throw new FakeApiError(409, conflict);
    });
    const report = await createMetadataAccessor(client, table).import({
      dataElements: [{}, { id: "deUid000001" }],
    });
    expect(report.status).toBe("ERROR");
    expect(report.ok).toBe(false);
    expect(report.httpStatusCode).toBe(409);
    expect(report.stats.ignored).toBe(2);
    expect(report.errors()).toEqual([
      {
        type: "DataElement",
        klass: "org.hisp.dhis.dataelement.DataElement",
        uid: "deUid000001",
        index: 1,
        message: "Missing required property `shortName`",
        errorCode: "E4000",
        property: "shortName",
      },
      expect.objectContaining({ uid: "deUid000001", index: 1, errorCode: "E4000", property: "valueType" }),
    ]);
  });

  it("rethrows errors that carry no import report", async () => {
    const client = stub(() => {
      throw new FakeApiError(401, { httpStatusCode: 401, status: "ERROR", message: "Unauthorized" });
    });
    await expect(createMetadataAccessor(client, table).import({ dataElements: [] })).rejects.toBeInstanceOf(
      FakeApiError,
    );
  });

  it("rejects a bundle key that is not a metadata type (DHIS2 would silently drop it)", async () => {
    const client = stub(() => ({}));
    await expect(
      createMetadataAccessor(client, table).import({ dataElement: [{ id: "x" }] } as Record<
        string,
        unknown[]
      >),
    ).rejects.toThrow(/"dataElement" \(1 object; did you mean "dataElements"\?\)/);
    expect(client.calls).toHaveLength(0);
  });

  // What a DHIS2 export holds besides metadata types: its header, interpretations, top-level legends.
  const exported = {
    system: { id: "sys", version: "2.42.4" },
    dataElements: [{ id: "deUid000001" }, { id: "deUid000002" }],
    interpretations: [{ id: "i1" }, { id: "i2" }, { id: "i3" }],
    legends: [{ id: "l1" }, { id: "l2" }],
  } as Record<string, unknown> as MetadataBundle;
  // ... and what no DHIS2 exports into a metadata bundle: data values, a misspelt type.
  const withStrays = {
    ...exported,
    dataValues: [{ value: "1" }],
    dataElement: [{ id: "deUid000003" }],
  } as Record<string, unknown> as MetadataBundle;
  const okReport = { httpStatusCode: 200, status: "OK", response: { ...conflict.response, status: "OK" } };

  it("skips DHIS2's non-metadata keys by default and lists them; the header goes along", async () => {
    const client = stub(() => okReport);
    const report = await createMetadataAccessor(client, table, "v42").import(exported);
    expect(client.calls).toHaveLength(1);
    // The header goes along (DHIS2 reads none of it); the non-metadata types are left out.
    expect(Object.keys(client.calls[0]?.body as object)).toEqual(["system", "dataElements"]);
    expect(report.ok).toBe(true);
    expect(report.skippedTypes).toEqual([
      { type: "interpretations", count: 3 },
      { type: "legends", count: 2 },
    ]);
    // The caller's bundle is untouched.
    expect(Object.keys(exported)).toContain("interpretations");
  });

  it("keys that are no DHIS2 type are still refused, all named in one error, with a suggestion", async () => {
    const client = stub(() => okReport);
    const error = await createMetadataAccessor(client, table, "v42")
      .import(withStrays)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryValidationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^2 metadata bundle keys are not metadata types of DHIS2 v42:/);
    expect(message).toContain('"dataValues" (1 object)');
    expect(message).toContain('"dataElement" (1 object; did you mean "dataElements"');
    expect(message).not.toContain("interpretations");
    expect((error as QueryValidationError).part).toBe("dataValues, dataElement");
    expect(client.calls).toHaveLength(0);
  });

  it('nonMetadata: "reject" refuses DHIS2\'s non-metadata keys too, naming each and how to proceed', async () => {
    const client = stub(() => okReport);
    const error = await createMetadataAccessor(client, table, "v42")
      .import(exported, { nonMetadata: "reject" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryValidationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^2 metadata bundle keys are not metadata types of DHIS2 v42:/);
    expect(message).toContain(
      '"interpretations" (3 objects; DHIS2 exports it but does not import it as metadata)',
    );
    expect(message).toContain('"legends" (2 objects;');
    expect(message).toContain('without { nonMetadata: "reject" }');
    expect((error as QueryValidationError).part).toBe("interpretations, legends");
    expect(client.calls).toHaveLength(0);
  });

  it("keeps skippedTypes on a 409 report too, and is empty when nothing was skipped", async () => {
    const failing = stub(() => {
      throw new FakeApiError(409, conflict);
    });
    const report = await createMetadataAccessor(failing, table).import(exported);
    expect(report.status).toBe("ERROR");
    expect(report.skippedTypes.map((s) => s.type)).toEqual(["interpretations", "legends"]);

    const ok = stub(() => okReport);
    const plain = await createMetadataAccessor(ok, table).import({ dataElements: [{ id: "deUid000001" }] });
    expect(plain.skippedTypes).toEqual([]);
  });

  it("refuses an unknown nonMetadata mode before any request", async () => {
    const client = stub(() => okReport);
    await expect(
      createMetadataAccessor(client, table).import(exported, { nonMetadata: "drop" as "skip" }),
    ).rejects.toThrow(/nonMetadata must be "skip" or "reject", not "drop"/);
    expect(client.calls).toHaveLength(0);
  });

  it("parses a bare ImportReport too (older servers)", () => {
    const report = MetadataImportReport.parse(conflict.response);
    expect(report.errors()).toHaveLength(2);
    expect(report.httpStatusCode).toBeUndefined();
  });
});
