import { ImportReport, WebMessageResponse } from "@dhis2w/client";
import { describe, expect, it } from "vitest";

// Shapes as DHIS2 2.41-2.43 answer them (QUIRKS.md "Wire formats").
const created = {
  httpStatus: "Created",
  httpStatusCode: 201,
  status: "OK",
  message: "",
  response: {
    responseType: "ObjectReport",
    uid: "Ab1cD2eF3gH",
    klass: "org.hisp.dhis.dataelement.DataElement",
    errorReports: [],
  },
};

const dataValueSet409 = {
  httpStatus: "Conflict",
  httpStatusCode: 409,
  status: "WARNING",
  message: "One more conflicts encountered, please check import summary.",
  response: {
    responseType: "ImportSummary",
    status: "WARNING",
    importCount: { imported: 2, updated: 1, ignored: 1, deleted: 0 },
    conflicts: [
      {
        object: "fClA2Erf6IO",
        objects: { dataElement: "fClA2Erf6IO" },
        value: "Data value is not numeric",
        errorCode: "E7619",
        property: "value",
        indexes: [3],
      },
    ],
    rejectedIndexes: [3],
    futureField: { kept: true },
  },
};

const metadata = {
  httpStatus: "Conflict",
  httpStatusCode: 409,
  status: "ERROR",
  response: {
    responseType: "ImportReport",
    status: "ERROR",
    stats: { created: 0, updated: 1, deleted: 0, ignored: 1, total: 2 },
    typeReports: [
      {
        klass: "org.hisp.dhis.dataelement.DataElement",
        stats: { created: 0, updated: 1, deleted: 0, ignored: 1, total: 2 },
        objectReports: [
          {
            klass: "org.hisp.dhis.dataelement.DataElement",
            index: 1,
            uid: "Xy1cD2eF3gH",
            errorReports: [
              {
                message: "Missing required property `shortName`.",
                mainKlass: "org.hisp.dhis.dataelement.DataElement",
                errorCode: "E4000",
                errorProperty: "shortName",
                errorProperties: ["shortName"],
              },
            ],
          },
        ],
      },
    ],
  },
};

const jobKickOff = {
  httpStatus: "OK",
  httpStatusCode: 200,
  status: "OK",
  message: "Initiated ANALYTICS_TABLE",
  response: {
    name: "ANALYTICS_TABLE",
    id: "Qk9mHsT1pL2",
    created: "2025-03-01T12:00:00.000",
    jobType: "ANALYTICS_TABLE",
    relativeNotifierEndpoint: "/api/system/tasks/ANALYTICS_TABLE/Qk9mHsT1pL2",
  },
};

describe("WebMessageResponse", () => {
  it("exposes the scalar fields and the created UID", () => {
    const msg = WebMessageResponse.parse(created);
    expect([msg.status, msg.httpStatus, msg.httpStatusCode, msg.message]).toEqual(["OK", "Created", 201, ""]);
    expect(msg.createdUid).toBe("Ab1cD2eF3gH");
    expect(msg.response?.responseType).toBe("ObjectReport");
    expect(msg.taskRef()).toBeUndefined();
    expect(msg.importReport()).toBeUndefined();
  });

  it("takes the created UID from response.id where DHIS2 used that", () => {
    expect(WebMessageResponse.parse({ status: "OK", response: { id: "Zz1cD2eF3gH" } }).createdUid).toBe(
      "Zz1cD2eF3gH",
    );
    expect(WebMessageResponse.parse({ status: "OK" }).createdUid).toBeUndefined();
  });

  it("quirk: reads a data value import: counts, conflicts, rejected indexes (409 WARNING)", () => {
    const msg = WebMessageResponse.parse(dataValueSet409);
    expect(msg.status).toBe("WARNING");
    expect(msg.importCount()).toEqual({ imported: 2, updated: 1, ignored: 1, deleted: 0 });
    const [conflict] = msg.conflicts();
    expect(conflict).toMatchObject({
      object: "fClA2Erf6IO",
      errorCode: "E7619",
      property: "value",
      indexes: [3],
    });
    expect(conflict?.objects).toEqual({ dataElement: "fClA2Erf6IO" });
    expect(msg.rejectedIndexes()).toEqual([3]);
    expect(msg.response?.futureField).toEqual({ kept: true });
  });

  it("reads a flat top-level importCount (ImportSummary without the envelope)", () => {
    const flat = {
      responseType: "ImportSummary",
      status: "SUCCESS",
      importCount: { imported: 5, updated: 0, ignored: 0 },
      conflicts: [],
    };
    const msg = WebMessageResponse.parse(flat);
    expect(msg.importCount()).toEqual({ imported: 5, updated: 0, ignored: 0, deleted: 0 });
    expect(msg.conflicts()).toEqual([]);
    expect(msg.rejectedIndexes()).toEqual([]);
  });

  it("quirk: types the metadata ImportReport", () => {
    const report = WebMessageResponse.parse(metadata).importReport();
    expect(report?.status).toBe("ERROR");
    expect(report?.stats?.ignored).toBe(1);
    const error = report?.typeReports[0]?.objectReports[0]?.errorReports[0];
    expect(error).toMatchObject({ errorCode: "E4000", errorProperty: "shortName" });
    expect(ImportReport.parse({ status: "OK" }).typeReports).toEqual([]);
  });

  it("quirk: finds the task of a job kick-off, from jobType+id or from the notifier endpoint", () => {
    expect(WebMessageResponse.parse(jobKickOff).taskRef()).toEqual({
      jobType: "ANALYTICS_TABLE",
      id: "Qk9mHsT1pL2",
    });
    const onlyEndpoint = {
      status: "OK",
      response: { relativeNotifierEndpoint: "/api/system/tasks/DATAVALUE_IMPORT/Ab1cD2eF3gH" },
    };
    expect(WebMessageResponse.parse(onlyEndpoint).taskRef()).toEqual({
      jobType: "DATAVALUE_IMPORT",
      id: "Ab1cD2eF3gH",
    });
    const tracker = {
      status: "OK",
      message: "Tracker job added",
      response: { id: "Tr1cD2eF3gH", location: "http://x/api/tracker/jobs/Tr1cD2eF3gH" },
    };
    expect(WebMessageResponse.parse(tracker).taskRef()).toEqual({
      jobType: "TRACKER_IMPORT_JOB",
      id: "Tr1cD2eF3gH",
    });
  });

  it("rejects what is not an envelope, with a clear message", () => {
    expect(() => WebMessageResponse.parse([1, 2])).toThrow(/expected a JSON object, got an array/);
    expect(() => WebMessageResponse.parse({ httpStatusCode: "two hundred" })).toThrow(/httpStatusCode/);
    expect(WebMessageResponse.safeParse({ unrelated: 1 })).toBeUndefined();
    expect(WebMessageResponse.safeParse("text")).toBeUndefined();
  });

  it("tolerates odd conflict rows and missing counts", () => {
    const msg = WebMessageResponse.parse({
      status: "WARNING",
      response: { importCount: { imported: 1 }, conflicts: [{ value: "x" }, 42] },
    });
    expect(msg.importCount()).toEqual({ imported: 1, updated: 0, ignored: 0, deleted: 0 });
    expect(msg.conflicts()).toEqual([{ value: "x" }]);
  });
});
