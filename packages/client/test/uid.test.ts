import { generateUid, generateUids, isValidUid, UID_RE } from "@dhis2w/client";
import { describe, expect, it } from "vitest";

describe("UIDs", () => {
  it("generates valid 11-character UIDs starting with a letter", () => {
    for (let i = 0; i < 1_000; i++) {
      const uid = generateUid();
      expect(uid).toMatch(UID_RE);
      expect(isValidUid(uid)).toBe(true);
    }
  });

  it("generates n distinct UIDs", () => {
    const uids = generateUids(5_000);
    expect(uids).toHaveLength(5_000);
    expect(new Set(uids).size).toBe(5_000);
    expect(uids.every(isValidUid)).toBe(true);
    expect(generateUids(0)).toEqual([]);
  });

  it("rejects a bad count with a clear message", () => {
    expect(() => generateUids(-1)).toThrow(/non-negative integer, got -1/);
    expect(() => generateUids(1.5)).toThrow(/non-negative integer/);
  });

  it("validates UIDs the way DHIS2 does", () => {
    expect(UID_RE.source).toBe("^[A-Za-z][A-Za-z0-9]{10}$");
    expect(isValidUid("fClA2Erf6IO")).toBe(true);
    expect(isValidUid("1ClA2Erf6IO")).toBe(false); // must start with a letter
    expect(isValidUid("fClA2Erf6I")).toBe(false); // 10 characters
    expect(isValidUid("fClA2Erf6IO_")).toBe(false);
    expect(isValidUid(42)).toBe(false);
  });

  it("uses every character of the alphabet without visible bias", () => {
    // 20k UIDs x 10 alphanumeric positions = 200k draws over 62 characters (~3226 each).
    const counts = new Map<string, number>();
    for (const uid of generateUids(20_000)) {
      for (const ch of uid.slice(1)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const values = [...counts.values()];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    // A modulo-biased generator (byte % 62) over-draws the first 8 characters by ~25 %.
    for (const v of values) expect(Math.abs(v - mean) / mean).toBeLessThan(0.12);
  });
});
