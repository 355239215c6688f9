import {
  atPatch,
  isVersionKey,
  parseDhis2Version,
  resolveVersionKey,
  SUPPORTED_VERSIONS,
  UnsupportedVersionError,
  VERSION_KEYS,
} from "@dhis2w/client";
import { describe, expect, it } from "vitest";

describe("version mapping", () => {
  it.each([
    ["2.42.4", "v42"],
    ["2.42.4.1", "v42"],
    ["2.43.0", "v43"],
    ["2.41-SNAPSHOT", "v41"],
    ["2.41.8.1", "v41"],
    ["2.43.1-rc1", "v43"],
  ])("%s maps to %s", (raw, key) => {
    expect(resolveVersionKey(raw)).toBe(key);
  });

  it("quirk: takes version strings apart (2.42.4.1, 2.43.0, 2.41-SNAPSHOT)", () => {
    expect(parseDhis2Version("2.42.4.1")).toEqual({ major: 2, minor: 42, patch: 4, hotfix: 1 });
    expect(parseDhis2Version("2.41-SNAPSHOT")).toEqual({ major: 2, minor: 41, tag: "SNAPSHOT" });
    expect(parseDhis2Version("not a version")).toBeUndefined();
  });

  it("refuses an unsupported version unless fallback is allowed", () => {
    expect(() => resolveVersionKey("2.44.0")).toThrow(UnsupportedVersionError);
    expect(() => resolveVersionKey("2.44.0")).toThrow(/2\.44\.0.*allowVersionFallback/);
    expect(resolveVersionKey("2.44.0", { allowFallback: true })).toBe("v43");
    expect(resolveVersionKey("2.44-SNAPSHOT", { allowFallback: true })).toBe("v43");
  });

  it("never falls back upwards: a server older than every supported version is refused", () => {
    const err = (() => {
      try {
        resolveVersionKey("2.40.3", { allowFallback: true });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnsupportedVersionError);
    expect((err as UnsupportedVersionError).rawVersion).toBe("2.40.3");
    expect((err as UnsupportedVersionError).supported).toEqual(["v41", "v42", "v43"]);
  });

  it("refuses garbage even with fallback", () => {
    expect(() => resolveVersionKey("", { allowFallback: true })).toThrow(/not a DHIS2 version string/);
  });

  it("lists the versions from the table, oldest first, and knows its keys", () => {
    expect(VERSION_KEYS).toEqual(["v41", "v42", "v43"]);
    expect(VERSION_KEYS.map((k) => SUPPORTED_VERSIONS[k].minor)).toEqual([41, 42, 43]);
    expect(isVersionKey("v42")).toBe(true);
    expect(isVersionKey("v40")).toBe(false);
    expect(isVersionKey("toString")).toBe(false);
  });

  it.each([
    ["v41", "2.41.8.1", undefined],
    ["v42", "2.42.0", "JobConfigurationWebMessageResponse"],
    ["v42", "2.42.4.1", "JobConfigurationWebMessageResponse"],
    ["v42", "2.42.5", "JobConfiguration"],
    ["v42", "2.42-SNAPSHOT", "JobConfiguration"],
    ["v43", "2.43.0.1", "JobConfigurationWebMessageResponse"],
    ["v43", "2.43.1", "JobConfiguration"],
    ["v43", "2.44.0", "JobConfiguration"],
    ["v43", "2.42.9", "JobConfigurationWebMessageResponse"],
  ] as const)("quirk: a patch-level fact of %s on %s reads %s", (key, reported, expected) => {
    const row = SUPPORTED_VERSIONS[key];
    expect(atPatch(row.jobs.kickoffResponseType, row.minor, reported)).toBe(expected);
  });
});
