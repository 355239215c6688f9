import { z } from "zod";

/**
 * One result of `/api/dataAnalysis/validationRules` as DHIS2 sends it (dhis2-core 2.41-2.43
 * `ValidationResultView`; null fields are left out).
 */
export const ValidationResultView = z.looseObject({
  validationRuleId: z.string(),
  validationRuleDescription: z.string().optional(),
  organisationUnitId: z.string(),
  organisationUnitDisplayName: z.string().optional(),
  organisationUnitPath: z.string().optional(),
  organisationUnitAncestorNames: z.string().optional(),
  periodId: z.string(),
  periodDisplayName: z.string().optional(),
  attributeOptionComboId: z.string().optional(),
  attributeOptionComboDisplayName: z.string().optional(),
  importance: z.string().optional(),
  leftSideValue: z.number().nullable().optional(),
  operator: z.string().optional(),
  rightSideValue: z.number().nullable().optional(),
});
/** See {@link ValidationResultView}. */
export type ValidationResultView = z.infer<typeof ValidationResultView>;

/** How much a rule matters (`ValidationRule.importance`). */
export const Importance = { HIGH: "HIGH", MEDIUM: "MEDIUM", LOW: "LOW" } as const;
/** One of {@link Importance}'s values. */
export type Importance = (typeof Importance)[keyof typeof Importance];

/** A rule broken in one period, org unit and attribute option combo. */
export interface ValidationViolation {
  /** The rule's UID. */
  readonly validationRule: string;
  readonly validationRuleDescription?: string;
  /** ISO period, e.g. `202401`. */
  readonly period: string;
  /** e.g. "January 2024". */
  readonly periodName?: string;
  /** The org unit's UID. */
  readonly orgUnit: string;
  readonly orgUnitName?: string;
  /** `/root/.../uid`. */
  readonly orgUnitPath?: string;
  readonly attributeOptionCombo?: string;
  readonly attributeOptionComboName?: string;
  /** The left side's value (rounded as DHIS2 stores it: one decimal from 10 up, else 3 significant digits). */
  readonly leftSideValue: number;
  /** `<=`, `==`, `[Compulsory pair]`, ... */
  readonly operator?: string;
  readonly rightSideValue: number;
  readonly importance: Importance | string;
}

/** Maps DHIS2's view to a {@link ValidationViolation}. */
export function toViolation(v: ValidationResultView): ValidationViolation {
  const opt = <K extends string, T>(key: K, value: T | undefined) =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
  return {
    validationRule: v.validationRuleId,
    ...opt("validationRuleDescription", v.validationRuleDescription),
    period: v.periodId,
    ...opt("periodName", v.periodDisplayName),
    orgUnit: v.organisationUnitId,
    ...opt("orgUnitName", v.organisationUnitDisplayName),
    ...opt("orgUnitPath", v.organisationUnitPath),
    ...opt("attributeOptionCombo", v.attributeOptionComboId),
    ...opt("attributeOptionComboName", v.attributeOptionComboDisplayName),
    leftSideValue: v.leftSideValue ?? 0,
    ...opt("operator", v.operator),
    rightSideValue: v.rightSideValue ?? 0,
    importance: v.importance ?? "MEDIUM",
  };
}

/** What DHIS2 says of an expression (`DescriptiveWebMessage`). */
export interface ExpressionDescription {
  /** True when DHIS2 answered status OK. */
  readonly valid: boolean;
  /** The expression with each item replaced by its object's name (only when valid). */
  readonly description?: string;
  /** DHIS2's words: "Valid", or "Expression is not well-formed". */
  readonly message: string;
}
