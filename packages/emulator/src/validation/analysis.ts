/**
 * Validation rule analysis, `POST /api/dataAnalysis/validationRules`, as dhis2-core 2.41-2.43 run
 * it (`DataAnalysisController`, `DefaultValidationService`, `DataValidationRunner`):
 *
 * - the rules: the group's members (`vrg`; a group that does not exist means every rule), each
 *   evaluated only in the periods of its own period type that lie between the dates and exist in
 *   the period table (`PeriodService.getPeriodsBetweenDates`: start >= startDate, end <= endDate);
 * - the org units: `ou` and every one below it, each evaluated on its own data (no aggregation),
 *   skipping rules whose `organisationUnitLevels` do not include its level;
 * - the data: values of the rule's items stored for the org unit in a period holding the period's
 *   start date, of its period type or a longer one present in the run, the shortest winning;
 *   values of a data element total are summed over its category option combos;
 * - per attribute option combo with data: both sides evaluated (missing value strategies as in
 *   `evaluate.ts`), then `isViolation`: `compulsory_pair` (one side has a value, the other not),
 *   `exclusive_pair` (both have), else a side without a value skips the rule unless its strategy
 *   is NEVER_SKIP (then 0), and the operator is tested; a violation's side values are rounded
 *   (`MathUtils.roundSignificant`);
 * - stored results of earlier persisted runs for these rules, periods and org units come back
 *   too, and a tuple already stored (same org unit, rule, period, attribute combo, day in period)
 *   is not added again; at most `maxResults` results (default 500, at most the
 *   `keyDataQualityMaxLimit` setting) are collected, stored ones included;
 * - results sorted by period start (stable); `persist: true` stores the new ones.
 */
import {
  type ExpressionNode,
  type ParsedExpression,
  type PeriodType,
  parseExpression,
  walkExpression,
} from "@dhis2w/client";
import { type DayPeriod, periodName } from "../analytics/periods.js";
import type { Ctx } from "../ctx.js";
import type { ValidationResultRecord } from "../data/validation-results.js";
import type { MetadataObject } from "../metadata-store.js";
import { HttpError } from "../web-message.js";
import { evaluateExpression, type MissingValueStrategy, type OrgUnitFacts, type Value } from "./evaluate.js";
import { constantLookup, displayName, valueTypeGroup } from "./items.js";
import { javaParseDouble, roundSignificantValue } from "./java-numbers.js";
import { daysIn, FREQUENCY_ORDER, isPeriodType } from "./period-math.js";
import { itemKey, keysFed, knownPeriods, type OrgUnitInfo, OrgUnits, storedValues } from "./stored-data.js";

const OPERATORS: Record<string, string> = {
  equal_to: "==",
  not_equal_to: "!=",
  greater_than: ">",
  greater_than_or_equal_to: ">=",
  less_than: "<",
  less_than_or_equal_to: "<=",
  compulsory_pair: "[Compulsory pair]",
  exclusive_pair: "[Exclusive pair]",
};

/** One side of a rule, parsed once per run. */
interface Side {
  readonly parsed: ParsedExpression | undefined;
  /** Unparseable: DHIS2 logs the parser's warning and evaluates the side to 0. */
  readonly broken: boolean;
  readonly strategy: MissingValueStrategy;
}

interface RuleX {
  readonly rule: MetadataObject;
  readonly periodType: PeriodType;
  readonly left: Side;
  readonly right: Side;
  readonly operator: string;
  readonly levels: readonly number[];
}

function side(expr: unknown): Side {
  const e = (expr ?? {}) as { expression?: unknown; missingValueStrategy?: unknown };
  const strategy = (
    ["SKIP_IF_ANY_VALUE_MISSING", "SKIP_IF_ALL_VALUES_MISSING", "NEVER_SKIP"].includes(
      String(e.missingValueStrategy),
    )
      ? e.missingValueStrategy
      : "SKIP_IF_ALL_VALUES_MISSING"
  ) as MissingValueStrategy;
  try {
    return {
      parsed: parseExpression(String(e.expression ?? ""), { context: "validationRule" }),
      broken: false,
      strategy,
    };
  } catch {
    return { parsed: undefined, broken: true, strategy };
  }
}

/** `yyyy-MM-dd` read leniently like `SimpleDateFormat` (`2024-13-01` is 2025-01-01); else undefined. */
export function lenientDay(raw: unknown): number | undefined {
  const m = typeof raw === "string" ? /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(raw) : null;
  if (!m) return undefined;
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000);
}

/** Java's `Double.parseDouble`-or-Boolean reading of a stored value (`ValidationUtils.getObjectValue`). */
function objectValue(raw: string | null, valueType: unknown): Value {
  if (raw === null) return null;
  const group = valueTypeGroup(valueType);
  if (group === "number") return javaParseDouble(raw) ?? null;
  if (group === "boolean") return raw.toLowerCase() === "true";
  return raw;
}

function violates(rule: RuleX, left: number | undefined, right: number | undefined): boolean {
  if (rule.operator === "compulsory_pair") return (left === undefined) !== (right === undefined);
  if (rule.operator === "exclusive_pair") return left !== undefined && right !== undefined;
  let l = left;
  let r = right;
  if (l === undefined) {
    if (rule.left.strategy !== "NEVER_SKIP") return false;
    l = 0;
  }
  if (r === undefined) {
    if (rule.right.strategy !== "NEVER_SKIP") return false;
    r = 0;
  }
  switch (rule.operator) {
    case "equal_to":
      return !(l === r);
    case "not_equal_to":
      return !(l !== r);
    case "greater_than":
      return !(l > r);
    case "greater_than_or_equal_to":
      return !(l >= r);
    case "less_than":
      return !(l < r);
    default:
      return !(l <= r);
  }
}

/** The request body (dhis2-core `ValidationRulesAnalysisParams`). */
interface AnalysisParams {
  vrg?: unknown;
  ou?: unknown;
  startDate?: unknown;
  endDate?: unknown;
  persist?: unknown;
  notification?: unknown;
  maxResults?: unknown;
}

/** A result of this run before it is rendered or stored. */
interface Found {
  rule: MetadataObject;
  period: DayPeriod;
  ou: OrgUnitInfo;
  aoc: string;
  left: number;
  right: number;
  dayInPeriod: number;
  stored?: ValidationResultRecord;
}

function dayInPeriod(p: DayPeriod, nowMs: number): number {
  const days = Math.trunc((nowMs - Date.parse(`${p.startDate}T00:00:00Z`)) / 86_400_000);
  return Math.min(Math.max(0, days), daysIn(p));
}

/** Runs the analysis and answers the request. */
export async function validationRulesAnalysis(ctx: Ctx): Promise<void> {
  const authorities = ctx.user?.authorities ?? [];
  if (!authorities.includes("ALL") && !authorities.includes("F_RUN_VALIDATION")) {
    throw new HttpError(403, "Access is denied, requires one Authority from [F_RUN_VALIDATION]");
  }
  const params = await ctx.readJson<AnalysisParams>();
  const app = ctx.app;
  const md = ctx.state.metadata;
  const group = typeof params.vrg === "string" ? md.get("validationRuleGroups", params.vrg) : undefined;
  const ous = new OrgUnits(md);
  const root = typeof params.ou === "string" ? ous.get(params.ou) : undefined;
  if (!root) throw new HttpError(400, "No organisation unit defined");
  const limit = Number(ctx.state.settings.get("keyDataQualityMaxLimit") ?? 500);
  const maxResults =
    params.maxResults === undefined || params.maxResults === null ? 500 : Number(params.maxResults);
  if (!Number.isInteger(maxResults) || maxResults <= 0 || maxResults > limit) {
    throw new HttpError(400, ctx.state.behaviour.validation.maxResultsMessage(limit));
  }

  const memberIds = group
    ? new Set(((group.validationRules as { id?: string }[] | undefined) ?? []).map((r) => r.id))
    : undefined;
  const rules = md.list("validationRules").filter((r) => !memberIds || memberIds.has(r.id));
  const start = lenientDay(params.startDate);
  const end = lenientDay(params.endDate);
  const periods =
    start === undefined || end === undefined
      ? []
      : knownPeriods(app).filter((p) => p.startDay >= start && p.endDay <= end);
  const types = new Set(periods.map((p) => p.periodType));
  const ruleXs: RuleX[] = rules
    .filter((r) => isPeriodType(r.periodType) && types.has(r.periodType))
    .map((rule) => ({
      rule,
      periodType: rule.periodType as PeriodType,
      left: side(rule.leftSide),
      right: side(rule.rightSide),
      operator: String(rule.operator ?? ""),
      levels: Array.isArray(rule.organisationUnitLevels) ? rule.organisationUnitLevels.map(Number) : [],
    }));

  const subtree = ous.subtree(root.id);
  const inRun = new Set(subtree.map((o) => o.id));
  const runRuleIds = new Set(rules.map((r) => r.id));
  const runPeriodIds = new Set(periods.map((p) => p.id));
  app.extensions.validationResults ??= [];
  const stored = app.extensions.validationResults;
  const initial = stored.filter(
    (r) => inRun.has(r.organisationUnit) && runRuleIds.has(r.validationRule) && runPeriodIds.has(r.period),
  );
  const results: Found[] = [];
  for (const r of initial) {
    const rule = md.get("validationRules", r.validationRule);
    const ou = ous.get(r.organisationUnit);
    const period = periods.find((p) => p.id === r.period);
    if (!rule || !ou || !period) continue;
    results.push({
      rule,
      period,
      ou,
      aoc: r.attributeOptionCombo,
      left: r.leftsideValue,
      right: r.rightsideValue,
      dayInPeriod: r.dayInPeriod ?? 0,
      stored: r,
    });
  }
  const known = new Set(
    initial.map(
      (r) =>
        `${r.organisationUnit}/${r.validationRule}/${r.period}/${r.attributeOptionCombo}/${r.dayInPeriod ?? 0}`,
    ),
  );
  const now = ctx.state.clock.now();
  const constants = constantLookup(md);
  const usesOrgUnit = ruleXs.some((r) =>
    [r.left, r.right].some(
      (s) =>
        s.parsed?.root && [...walkExpression(s.parsed.root)].some((w) => w.node.type === "orgUnitFunction"),
    ),
  );
  const facts = new Map<string, OrgUnitFacts>();
  const factsOf = (ou: OrgUnitInfo) => {
    const known = facts.get(ou.id) ?? ous.facts(ou);
    facts.set(ou.id, known);
    return known;
  };

  for (const type of [...types]) {
    const typeRules = ruleXs.filter((r) => r.periodType === type);
    if (typeRules.length === 0) continue;
    const allowed = new Set([...types].filter((t) => FREQUENCY_ORDER[t] >= FREQUENCY_ORDER[type]));
    const items = typeRules.flatMap((r) => [
      ...(r.left.parsed?.items ?? []),
      ...(r.right.parsed?.items ?? []),
    ]);
    const wanted = new Set(items.filter((i) => i.symbol === "#{").map(itemKey));
    const des = new Set(items.filter((i) => i.symbol === "#{").map((i) => i.uid0));
    const candidates = storedValues(app, {
      dataElements: des,
      orgUnits: (ou) => inRun.has(ou),
      periods: (p) => allowed.has(p.periodType),
    });
    for (const period of periods.filter((p) => p.periodType === type)) {
      // ou -> aoc -> key -> [value, period length]
      const data = new Map<string, Map<string, Map<string, [Value, number]>>>();
      for (const v of candidates) {
        if (v.period.startDay > period.startDay || v.period.endDay < period.startDay) continue;
        const keys = keysFed(wanted, v.dataElement, v.categoryOptionCombo, v.attributeOptionCombo);
        if (keys.length === 0) continue;
        const value = objectValue(v.value, md.get("dataElements", v.dataElement)?.valueType);
        const length = v.period.endDay - v.period.startDay;
        const byAoc = data.get(v.orgUnit) ?? new Map<string, Map<string, [Value, number]>>();
        data.set(v.orgUnit, byAoc);
        const byKey = byAoc.get(v.attributeOptionCombo) ?? new Map<string, [Value, number]>();
        byAoc.set(v.attributeOptionCombo, byKey);
        for (const k of keys) {
          const had = byKey.get(k);
          if (had && had[1] < length) continue; // a shorter period's value wins
          const sum =
            had && had[1] === length && typeof had[0] === "number" && typeof value === "number"
              ? had[0] + value
              : value;
          byKey.set(k, [sum, length]);
        }
      }
      for (const ou of subtree) {
        const byAoc = data.get(ou.id);
        if (!byAoc) continue;
        for (const rule of typeRules) {
          if (results.length >= maxResults) break;
          if (rule.levels.length > 0 && !rule.levels.includes(ou.level)) continue;
          const sideValues = (s: Side) => {
            const out = new Map<string, number>();
            for (const [aoc, values] of byAoc) {
              const v = s.broken
                ? 0
                : evaluateExpression(s.parsed?.root as ExpressionNode | undefined, {
                    item: (node) => {
                      const de = md.get("dataElements", node.uid0);
                      const found = node.symbol === "#{" ? values.get(itemKey(node)) : undefined;
                      return { value: found?.[0] ?? null, valueType: valueTypeGroup(de?.valueType) };
                    },
                    constant: constants,
                    days: daysIn(period),
                    ...(usesOrgUnit ? { orgUnit: factsOf(ou) } : {}),
                    missingValueStrategy: s.strategy,
                    dataType: "NUMERIC",
                  });
              if (typeof v === "number" && Number.isFinite(v)) out.set(aoc, v);
            }
            return out;
          };
          const left = sideValues(rule.left);
          const right = sideValues(rule.right);
          for (const aoc of new Set([...left.keys(), ...right.keys()])) {
            const day = dayInPeriod(period, now);
            if (known.has(`${ou.id}/${rule.rule.id}/${period.id}/${aoc}/${day}`)) continue;
            if (!violates(rule, left.get(aoc), right.get(aoc)) || results.length >= maxResults) continue;
            results.push({
              rule: rule.rule,
              period,
              ou,
              aoc,
              left: roundSignificantValue(left.get(aoc) ?? 0),
              right: roundSignificantValue(right.get(aoc) ?? 0),
              dayInPeriod: day,
            });
          }
        }
      }
    }
  }

  results.sort((a, b) => a.period.startDay - b.period.startDay);
  if (params.persist === true) {
    let id = stored.reduce((m, r) => Math.max(m, r.id), 0);
    for (const r of results) {
      if (r.stored) continue;
      stored.push({
        id: ++id,
        validationRule: r.rule.id,
        period: r.period.id,
        organisationUnit: r.ou.id,
        attributeOptionCombo: r.aoc,
        leftsideValue: r.left,
        rightsideValue: r.right,
        dayInPeriod: r.dayInPeriod,
        notificationSent: false,
        created: ctx.state.timestamp(),
      });
    }
  }
  ctx.json(
    200,
    results.map((r) => {
      const aoc = md.get("categoryOptionCombos", r.aoc);
      return {
        validationRuleId: r.rule.id,
        ...(typeof r.rule.description === "string" ? { validationRuleDescription: r.rule.description } : {}),
        organisationUnitId: r.ou.id,
        organisationUnitDisplayName: r.ou.name,
        organisationUnitPath: `/${r.ou.path.join("/")}`,
        organisationUnitAncestorNames: ous.ancestorNames(r.ou),
        periodId: r.period.id,
        periodDisplayName: periodName(r.period),
        attributeOptionComboId: r.aoc,
        attributeOptionComboDisplayName: aoc ? displayName(aoc) : "default",
        importance: String(r.rule.importance ?? "MEDIUM"),
        leftSideValue: r.left,
        operator: OPERATORS[String(r.rule.operator)] ?? String(r.rule.operator),
        rightSideValue: r.right,
      };
    }),
  );
}
