import { describe, expect, it } from "vitest";
import { Dhis2ClientError } from "../src/errors.js";
import { normalizeTrackerPage, TRACKER_DIALECTS, trackerQueryParams } from "../src/tracker/index.js";

describe("tracker parameter translation", () => {
  it("joins lists with commas and keeps 2.41+ names on v41-v43", () => {
    for (const v of ["v41", "v42", "v43"] as const) {
      expect(
        trackerQueryParams(
          "trackedEntities",
          {
            orgUnits: ["a", "b"],
            orgUnitMode: "DESCENDANTS",
            trackedEntities: ["t1", "t2"],
            fields: ["x", "y[z]"],
            order: ["createdAt:desc", "trackedEntity"],
            program: "p",
          },
          v,
        ),
      ).toEqual({
        orgUnits: "a,b",
        orgUnitMode: "DESCENDANTS",
        trackedEntities: "t1,t2",
        fields: "x,y[z]",
        order: "createdAt:desc,trackedEntity",
        program: "p",
      });
    }
  });

  it("translates to 2.40's orgUnit/ouMode/trackedEntity through the version table", () => {
    expect(TRACKER_DIALECTS.v40.listKey).toBe("instances");
    expect(
      trackerQueryParams(
        "trackedEntities",
        { orgUnits: ["a", "b"], orgUnitMode: "CHILDREN", trackedEntities: ["t1"], status: "ACTIVE" },
        "v40",
      ),
    ).toEqual({ orgUnit: "a,b", ouMode: "CHILDREN", trackedEntity: "t1", programStatus: "ACTIVE" });
  });

  it("renames per endpoint: tracked entity enrollment/event dates, the events exporter's single orgUnit", () => {
    expect(
      trackerQueryParams(
        "trackedEntities",
        { enrolledAfter: "2024-01-01", occurredBefore: "2024-02-01", status: "COMPLETED" },
        "v42",
      ),
    ).toEqual({
      enrollmentEnrolledAfter: "2024-01-01",
      eventOccurredBefore: "2024-02-01",
      enrollmentStatus: "COMPLETED",
    });
    expect(
      trackerQueryParams(
        "events",
        { orgUnits: ["ou1"], enrolledAfter: "2024-01-01", status: "ACTIVE" },
        "v43",
      ),
    ).toEqual({
      orgUnit: "ou1",
      enrollmentEnrolledAfter: "2024-01-01",
      status: "ACTIVE",
    });
    expect(
      trackerQueryParams("enrollments", { enrolledAfter: "2024-01-01", status: "ACTIVE" }, "v42"),
    ).toEqual({
      enrolledAfter: "2024-01-01",
      status: "ACTIVE",
    });
  });

  it("refuses several org units on the events exporter, naming the option", () => {
    expect(() => trackerQueryParams("events", { orgUnits: ["a", "b"] }, "v42")).toThrow(Dhis2ClientError);
    expect(() => trackerQueryParams("events", { orgUnits: ["a", "b"] }, "v42")).toThrow(
      /"orgUnits".*"orgUnit"/,
    );
  });

  it("passes extraParams through and drops signal/undefined", () => {
    const params = trackerQueryParams(
      "events",
      {
        program: "p",
        signal: new AbortController().signal,
        pageSize: undefined,
        extraParams: { idScheme: "CODE" },
      },
      "v42",
    );
    expect(params).toEqual({ program: "p", idScheme: "CODE" });
  });
});

describe("tracker list envelopes", () => {
  it("quirk: normalises 2.41 (pager + flat duplicates), 2.42 (pager) and 2.40 (instances)", () => {
    const v41 = normalizeTrackerPage("events", {
      page: 2,
      pageSize: 10,
      pager: { page: 2, pageSize: 10 },
      events: [{ event: "a" }],
    });
    expect(v41).toEqual({ pager: { page: 2, pageSize: 10 }, items: [{ event: "a" }] });
    const v42 = normalizeTrackerPage("events", {
      pager: { page: 1, pageSize: 5, total: 12, pageCount: 3 },
      events: [],
    });
    expect(v42.pager).toEqual({ page: 1, pageSize: 5, total: 12, pageCount: 3 });
    const v40 = normalizeTrackerPage("trackedEntities", {
      instances: [{ trackedEntity: "x" }],
      page: 1,
      pageSize: 50,
      total: 101,
    });
    expect(v40).toEqual({
      pager: { page: 1, pageSize: 50, total: 101, pageCount: 3 },
      items: [{ trackedEntity: "x" }],
    });
  });

  it("says what is missing when the answer has no list", () => {
    expect(() => normalizeTrackerPage("events", { pager: {} })).toThrow(/no "events".*"instances"/);
  });
});
