import { describe, expect, it } from "vitest";
import { InvalidPeriodError, isValidPeriod, parsePeriod, tryParsePeriod } from "../src/periods.js";

describe("parsePeriod", () => {
  it.each([
    ["20240115", "Daily", "2024-01-15", "2024-01-15"],
    ["20240229", "Daily", "2024-02-29", "2024-02-29"],
    ["2024W1", "Weekly", "2024-01-01", "2024-01-07"],
    ["2024W3", "Weekly", "2024-01-15", "2024-01-21"],
    ["2020W53", "Weekly", "2020-12-28", "2021-01-03"],
    ["2021W1", "Weekly", "2021-01-04", "2021-01-10"],
    ["2024WedW1", "WeeklyWednesday", "2024-01-03", "2024-01-09"],
    ["2024SunW1", "WeeklySunday", "2023-12-31", "2024-01-06"],
    ["2024BiW1", "BiWeekly", "2024-01-01", "2024-01-14"],
    ["202401", "Monthly", "2024-01-01", "2024-01-31"],
    ["202402", "Monthly", "2024-02-01", "2024-02-29"],
    ["202401B", "BiMonthly", "2024-01-01", "2024-02-29"],
    ["202406B", "BiMonthly", "2024-11-01", "2024-12-31"],
    ["2024Q1", "Quarterly", "2024-01-01", "2024-03-31"],
    ["2024Q4", "Quarterly", "2024-10-01", "2024-12-31"],
    ["2024S1", "SixMonthly", "2024-01-01", "2024-06-30"],
    ["2024S2", "SixMonthly", "2024-07-01", "2024-12-31"],
    ["2024AprilS1", "SixMonthlyApril", "2024-04-01", "2024-09-30"],
    ["2024AprilS2", "SixMonthlyApril", "2024-10-01", "2025-03-31"],
    ["2024", "Yearly", "2024-01-01", "2024-12-31"],
    ["2024April", "FinancialApril", "2024-04-01", "2025-03-31"],
    ["2024July", "FinancialJuly", "2024-07-01", "2025-06-30"],
    ["2024Oct", "FinancialOct", "2024-10-01", "2025-09-30"],
    ["2024Nov", "FinancialNov", "2024-11-01", "2025-10-31"],
  ])("%s is %s from %s to %s", (id, periodType, startDate, endDate) => {
    expect(parsePeriod(id)).toEqual({ id, periodType, startDate, endDate });
  });

  it.each(["202413", "20230229", "2024W53", "2024Q5", "2024S3", "202407B", "2024-01", "2024Jan", "", "24Q1"])(
    "rejects %j with a reason",
    (id) => {
      expect(isValidPeriod(id)).toBe(false);
      expect(tryParsePeriod(id)).toBeUndefined();
      expect(() => parsePeriod(id)).toThrow(InvalidPeriodError);
      expect(() => parsePeriod(id)).toThrow(JSON.stringify(id));
    },
  );

  it("knows which years have 53 ISO weeks", () => {
    expect(isValidPeriod("2020W53")).toBe(true);
    expect(isValidPeriod("2026W53")).toBe(true);
    expect(isValidPeriod("2025W53")).toBe(false);
  });
});
