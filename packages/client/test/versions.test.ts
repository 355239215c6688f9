import {
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

  it("keeps every per-version difference in the one table", () => {
    expect(VERSION_KEYS).toEqual(["v41", "v42", "v43"]);
    expect(SUPPORTED_VERSIONS.v41.notEmptyFilterOperator).toBe(false);
    expect(SUPPORTED_VERSIONS.v41.oauth2ClientIdField).toBe("cid");
    expect(SUPPORTED_VERSIONS.v43.categoryOptionCombosOnSave).toBe(false);
    expect(isVersionKey("v42")).toBe(true);
    expect(isVersionKey("v40")).toBe(false);
    expect(isVersionKey("toString")).toBe(false);
  });
});
