import { describe, expect, it } from "vitest";
import { Dhis2ClientError } from "../src/errors.js";
import { normalizeTrackerPage, trackerQueryParams } from "../src/tracker/index.js";

describe("tracker parameter translation", () => {
  it("joins lists with commas and keeps 2.41+ names", () => {
    expect(
      trackerQueryParams("trackedEntities", {
        orgUnits: ["a", "b"],
        orgUnitMode: "DESCENDANTS",
        trackedEntities: ["t1", "t2"],
        fields: ["x", "y[z]"],
        order: ["createdAt:desc", "trackedEntity"],
        program: "p",
      }),
    ).toEqual({
      orgUnits: "a,b",
      orgUnitMode: "DESCENDANTS",
      trackedEntities: "t1,t2",
      fields: "x,y[z]",
      order: "createdAt:desc,trackedEntity",
      program: "p",
    });
  });

  it("renames per endpoint: tracked entity enrollment/event dates, the events exporter's single orgUnit", () => {
    expect(
      trackerQueryParams("trackedEntities", {
        enrolledAfter: "2024-01-01",
        occurredBefore: "2024-02-01",
        status: "COMPLETED",
      }),
    ).toEqual({
      enrollmentEnrolledAfter: "2024-01-01",
      eventOccurredBefore: "2024-02-01",
      enrollmentStatus: "COMPLETED",
    });
    expect(
      trackerQueryParams("events", { orgUnits: ["ou1"], enrolledAfter: "2024-01-01", status: "ACTIVE" }),
    ).toEqual({
      orgUnit: "ou1",
      enrollmentEnrolledAfter: "2024-01-01",
      status: "ACTIVE",
    });
    expect(trackerQueryParams("enrollments", { enrolledAfter: "2024-01-01", status: "ACTIVE" })).toEqual({
      enrolledAfter: "2024-01-01",
      status: "ACTIVE",
    });
  });

  it("refuses several org units on the events exporter, naming the option", () => {
    expect(() => trackerQueryParams("events", { orgUnits: ["a", "b"] })).toThrow(Dhis2ClientError);
    expect(() => trackerQueryParams("events", { orgUnits: ["a", "b"] })).toThrow(/"orgUnits".*"orgUnit"/);
  });

  it("passes extraParams through and drops signal/undefined", () => {
    const params = trackerQueryParams("events", {
      program: "p",
      signal: new AbortController().signal,
      pageSize: undefined,
      extraParams: { idScheme: "CODE" },
    });
    expect(params).toEqual({ program: "p", idScheme: "CODE" });
  });
});

describe("tracker list envelopes", () => {
  it("quirk: normalises 2.41 (pager + flat duplicates) and 2.42+ (pager)", () => {
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
  });

  it("says what is missing when the answer has no list", () => {
    expect(() => normalizeTrackerPage("events", { pager: {} })).toThrow(/no "events" list; keys: pager/);
  });
});
