/**
 * One predictor run, as dhis2-core 2.41-2.43 `DefaultPredictionService.predictSimple` makes it:
 *
 * - output periods: every period of the predictor's type lying wholly between the dates;
 * - sample periods of each output period: `sequentialSampleCount` periods back, leaving out the
 *   `sequentialSkipCount` nearest, then for each of `annualSampleCount` past years the same
 *   period that year with `sequentialSampleCount` periods on each side; a sample period where the
 *   `sampleSkipTest` is true is dropped;
 * - org units: those at each of the predictor's `organisationUnitLevels` inside the user's org
 *   units; data from the org unit and every one below it (`DESCENDANTS`) or the org unit alone
 *   (`SELECTED`), summed per item, period and attribute option combo;
 * - per attribute option combo found in the data (the default one when there is none) and output
 *   period: the generator is evaluated (aggregation functions over the sample periods) unless the
 *   missing value strategy needs data and there is none; a value is formatted for the output data
 *   element (`PredictionFormatter`: integers rounded, numbers to 4 significant fraction digits as
 *   Java prints them, `12.0`; zeros not stored unless significant);
 * - writing (`PredictionWriter`): a new value is inserted, a changed or deleted one updated, an
 *   equal one left (unchanged), and an earlier value of the output in an output period that was
 *   not predicted again is deleted (softly). `predictions` = inserted + updated + unchanged.
 *
 * A predictor whose output has a non-default category combo and no output combo makes
 * disaggregated predictions in DHIS2; the emulator refuses those (409) rather than guess.
 */
import {
  type ExpressionNode,
  type ItemNode,
  type ParsedExpression,
  parseExpression,
  walkExpression,
} from "@dhis2w/client";
import type { DayPeriod } from "../analytics/periods.js";
import type { EmulatorApp } from "../app.js";
import { dataValueStore } from "../data/index.js";
import { DEFAULT_COC } from "../data/lookup.js";
import type { MetadataObject } from "../metadata-store.js";
import type { EmulatorUser } from "../users.js";
import { evaluateExpression, type MissingValueStrategy, type Value } from "../validation/evaluate.js";
import { constantLookup, isIntegerType, valueTypeGroup } from "../validation/items.js";
import { javaDoubleToString, javaParseDouble, javaRound, roundFraction } from "../validation/java-numbers.js";
import {
  daysIn,
  isPeriodType,
  nextPeriod,
  periodsBetween,
  previousPeriod,
  previousYearsPeriod,
} from "../validation/period-math.js";
import { itemKey, keysFed, OrgUnits, storedValues } from "../validation/stored-data.js";

/** DHIS2's `PredictionSummary` counters. */
export interface PredictionSummary {
  predictors: number;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

/** A fresh summary. */
export function newSummary(): PredictionSummary {
  return { predictors: 0, inserted: 0, updated: 0, deleted: 0, unchanged: 0 };
}

/** What DHIS2 would throw inside `predict`; the controller turns it into 409 "Unable to predict ...". */
export class PredictionError extends Error {
  override readonly name: string = "PredictionError";
}

const refId = (ref: unknown): string | undefined =>
  typeof ref === "string"
    ? ref
    : typeof (ref as { id?: unknown })?.id === "string"
      ? (ref as { id: string }).id
      : undefined;

function strategyOf(expr: unknown): MissingValueStrategy {
  const s = String((expr as { missingValueStrategy?: unknown } | undefined)?.missingValueStrategy);
  return s === "SKIP_IF_ANY_VALUE_MISSING" || s === "NEVER_SKIP" ? s : "SKIP_IF_ALL_VALUES_MISSING";
}

function parseOrBroken(
  expr: unknown,
  context: "predictor" | "predictorSkipTest",
): ParsedExpression | "broken" {
  try {
    return parseExpression(String((expr as { expression?: unknown })?.expression ?? ""), { context });
  } catch {
    // DHIS2 logs the parser's warning and evaluates the expression to 0.
    return "broken";
  }
}

function zeroInsignificant(value: string, de: MetadataObject): boolean {
  const agg = String(de.aggregationType ?? "");
  return (
    valueTypeGroup(de.valueType) === "number" &&
    javaParseDouble(value) === 0 &&
    de.zeroIsSignificant !== true &&
    agg !== "AVERAGE_SUM_ORG_UNIT" &&
    agg !== "AVERAGE"
  );
}

/** dhis2-core `PredictionFormatter.formatPrediction`. */
function formatPrediction(value: Value, de: MetadataObject): string | null {
  const group = valueTypeGroup(de.valueType);
  if (group === "number" || (group === "text" && typeof value === "number")) {
    const v = value ?? 0;
    if (typeof v !== "number" || !Number.isFinite(v) || zeroInsignificant(javaDoubleToString(v), de))
      return null;
    if (isIntegerType(de.valueType)) return String(javaRound(v));
    return javaDoubleToString(roundFraction(v, 4));
  }
  if (group === "text")
    return value === null ? "" : typeof value === "boolean" ? String(value) : String(value);
  if (group === "date") return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? value : null;
  if (value === null) return "false";
  return typeof value === "boolean" ? String(value) : null;
}

function objectValue(raw: string | null, valueType: unknown): Value {
  if (raw === null) return null;
  const g = valueTypeGroup(valueType);
  if (g === "number") return javaParseDouble(raw) ?? null;
  if (g === "boolean") return raw.toLowerCase() === "true";
  return raw;
}

/** Sample periods of an output period, oldest first (`getSamplePeriodsMap`). */
function samplePeriodsOf(output: DayPeriod, predictor: MetadataObject): DayPeriod[] {
  const sequential = Number(predictor.sequentialSampleCount ?? 0);
  const annual = Number(predictor.annualSampleCount ?? 0);
  const skip = Number(predictor.sequentialSkipCount ?? 0);
  const out: DayPeriod[] = [];
  let p = output;
  for (let i = 0; i < skip; i++) p = previousPeriod(p);
  for (let i = skip; i < sequential; i++) {
    p = previousPeriod(p);
    out.push(p);
  }
  for (let year = 1; year <= annual; year++) {
    let prev = previousYearsPeriod(output, year);
    let next = prev;
    out.push(prev);
    for (let i = 0; i < sequential; i++) {
      prev = previousPeriod(prev);
      next = nextPeriod(next);
      out.push(prev, next);
    }
  }
  return out;
}

/** One write a run makes, applied once the whole predictor has run. */
type Write =
  | { kind: "put"; de: string; period: string; ou: string; coc: string; aoc: string; value: string }
  | { kind: "delete"; row: number };

/**
 * Runs one predictor between the days (inclusive), counting into `summary`; throws a
 * {@link PredictionError} for what DHIS2 would fail on. Writes are applied only when it succeeds.
 */
export function runPredictor(
  app: EmulatorApp,
  user: EmulatorUser | undefined,
  predictor: MetadataObject,
  startDay: number,
  endDay: number,
  summary: PredictionSummary,
): void {
  const md = app.state.metadata;
  const output = md.get("dataElements", refId(predictor.output) ?? "");
  if (!output) throw new PredictionError(`Predictor ${predictor.id} has no output data element`);
  const comboId = refId(output.categoryCombo);
  const combo = comboId ? md.get("categoryCombos", comboId) : undefined;
  const defaultCombo = !combo || combo.name === "default" || combo.isDefault === true;
  const outputComboId = refId(predictor.outputCombo);
  const outputComboDefault =
    !outputComboId || md.get("categoryOptionCombos", outputComboId)?.name === "default";
  if (!defaultCombo && outputComboDefault) {
    throw new PredictionError(
      "the emulator does not make disaggregated predictions (an output data element with a category combo and no output category option combo)",
    );
  }
  const outCoc = outputComboId ?? DEFAULT_COC;
  if (!isPeriodType(predictor.periodType))
    throw new PredictionError(`Unknown period type ${String(predictor.periodType)}`);
  const generator = parseOrBroken(predictor.generator, "predictor");
  const skipExpr = (predictor.sampleSkipTest as { expression?: unknown } | undefined)?.expression;
  const skipTest =
    typeof skipExpr === "string" && skipExpr !== ""
      ? parseOrBroken(predictor.sampleSkipTest, "predictorSkipTest")
      : undefined;
  const mvs = strategyOf(predictor.generator);

  const outputPeriods = periodsBetween(predictor.periodType, startDay, endDay);
  const samples = new Map(outputPeriods.map((p) => [p.id, samplePeriodsOf(p, predictor)]));
  const allSamples = new Map<string, DayPeriod>();
  for (const list of samples.values()) for (const p of list) allSamples.set(p.id, p);

  const walk = (parsed: ParsedExpression | "broken" | undefined, forceSample: boolean) =>
    parsed === "broken" || !parsed?.root
      ? []
      : [...walkExpression(parsed.root)]
          .filter((w) => w.node.type === "item" && w.node.symbol === "#{")
          .map((w) => ({ node: w.node as ItemNode, sample: forceSample || w.inSample }));
  const items = [...walk(generator, false), ...walk(skipTest, true)];
  const outputKey = `${output.id}.${outCoc}`;
  const wanted = new Set([...items.map((i) => itemKey(i.node)), outputKey]);
  const nonSampleKeys = new Set(items.filter((i) => !i.sample).map((i) => itemKey(i.node)));
  const sampleKeys = new Set(items.filter((i) => i.sample).map((i) => itemKey(i.node)));
  const forwardReference = items.some((i) => i.node.uid0 === output.id);
  const requireData = mvs !== "NEVER_SKIP" && items.length > 0;
  const dataElements = new Set([...items.map((i) => i.node.uid0), output.id]);
  const queryPeriods = new Set([...outputPeriods.map((p) => p.id), ...allSamples.keys()]);
  const outputIds = new Set(outputPeriods.map((p) => p.id));

  const ous = new OrgUnits(md);
  const userRoots = user?.organisationUnits ?? [];
  const levels = (Array.isArray(predictor.organisationUnitLevels) ? predictor.organisationUnitLevels : [])
    .map((l) => Number(md.get("organisationUnitLevels", refId(l) ?? "")?.level))
    .filter((n) => Number.isInteger(n));
  const descendants = predictor.organisationUnitDescendants !== "SELECTED";
  const constants = constantLookup(md);
  const usesOrgUnit = [generator, skipTest].some(
    (p) =>
      p &&
      p !== "broken" &&
      p.root &&
      [...walkExpression(p.root)].some((w) => w.node.type === "orgUnitFunction"),
  );
  const writes: Write[] = [];
  summary.predictors++;

  for (const level of levels) {
    const units = userRoots
      .flatMap((r) => ous.subtree(r))
      .filter((ou, i, all) => ou.level === level && all.findIndex((o) => o.id === ou.id) === i);
    const unitIds = new Set(units.map((u) => u.id));
    const values = storedValues(app, {
      dataElements,
      orgUnits: (id) => {
        const ou = ous.get(id);
        if (!ou || ou.path.length < level) return false;
        return descendants ? unitIds.has(ou.path[level - 1] as string) : unitIds.has(id);
      },
      periods: (p) => queryPeriods.has(p.id),
      includeDeleted: true,
    });
    // ou -> aoc -> period -> key -> value
    const data = new Map<string, Map<string, Map<string, Map<string, Value>>>>();
    const old = new Map<string, { row: number; value: string | null; deleted: boolean }>();
    for (const v of values) {
      const ou = (ous.get(v.orgUnit)?.path[level - 1] ?? v.orgUnit) as string;
      if (
        v.orgUnit === ou &&
        v.dataElement === output.id &&
        v.categoryOptionCombo === outCoc &&
        outputIds.has(v.period.id)
      ) {
        old.set(`${v.period.id}/${ou}/${v.attributeOptionCombo}`, {
          row: v.row,
          value: v.value,
          deleted: v.deleted,
        });
      }
      if (v.deleted) continue;
      const value = objectValue(v.value, md.get("dataElements", v.dataElement)?.valueType);
      if (value === null) continue;
      const byAoc = data.get(ou) ?? new Map();
      data.set(ou, byAoc);
      const byPeriod = byAoc.get(v.attributeOptionCombo) ?? new Map();
      byAoc.set(v.attributeOptionCombo, byPeriod);
      const byKey = byPeriod.get(v.period.id) ?? new Map<string, Value>();
      byPeriod.set(v.period.id, byKey);
      for (const k of keysFed(wanted, v.dataElement, v.categoryOptionCombo, v.attributeOptionCombo)) {
        const had = byKey.get(k);
        byKey.set(k, typeof had === "number" && typeof value === "number" ? had + value : value);
      }
    }
    for (const ou of units) {
      const byAoc = data.get(ou.id) ?? new Map<string, Map<string, Map<string, Value>>>();
      if (byAoc.size === 0) byAoc.set(DEFAULT_COC, new Map());
      const facts = usesOrgUnit ? ous.facts(ou) : undefined;
      const predicted = new Set<string>();
      for (const [aoc, periodValues] of byAoc) {
        const lookup = (periodId: string) => (node: ItemNode) => ({
          value: periodValues.get(periodId)?.get(itemKey(node)) ?? null,
          valueType: valueTypeGroup(md.get("dataElements", node.uid0)?.valueType),
        });
        const skipped = new Set<string>();
        if (skipTest && skipTest !== "broken" && skipTest.root) {
          for (const p of allSamples.values()) {
            if (!periodValues.has(p.id)) continue;
            const skip = evaluateExpression(skipTest.root, {
              item: lookup(p.id),
              constant: constants,
              days: daysIn(p),
              missingValueStrategy: strategyOf(predictor.sampleSkipTest),
              dataType: "BOOLEAN",
              ...(facts ? { orgUnit: facts } : {}),
            });
            if (skip === true) skipped.add(p.id);
          }
        }
        for (const period of outputPeriods) {
          const samplePeriods = (samples.get(period.id) ?? []).filter((p) => !skipped.has(p.id));
          const present = (periodId: string, keys: ReadonlySet<string>) =>
            [...keys].some((k) => periodValues.get(periodId)?.has(k));
          if (
            requireData &&
            !present(period.id, nonSampleKeys) &&
            !samplePeriods.some((p) => present(p.id, sampleKeys))
          ) {
            continue;
          }
          const group = valueTypeGroup(output.valueType);
          const value =
            generator === "broken"
              ? 0
              : evaluateExpression(generator.root as ExpressionNode | undefined, {
                  item: lookup(period.id),
                  samples: samplePeriods.map((p) => lookup(p.id)),
                  constant: constants,
                  days: daysIn(period),
                  missingValueStrategy: mvs,
                  dataType: group === "number" ? "NUMERIC" : group === "boolean" ? "BOOLEAN" : "TEXT",
                  ...(facts ? { orgUnit: facts } : {}),
                });
          if (value === null && mvs !== "NEVER_SKIP") continue;
          const text = formatPrediction(value, output);
          if (text === null) continue;
          const key = `${period.id}/${ou.id}/${aoc}`;
          predicted.add(key);
          const before = old.get(key);
          if (!before) {
            summary.inserted++;
            writes.push({
              kind: "put",
              de: output.id,
              period: period.id,
              ou: ou.id,
              coc: outCoc,
              aoc,
              value: text,
            });
          } else if (before.value !== text || before.deleted) {
            summary.updated++;
            writes.push({
              kind: "put",
              de: output.id,
              period: period.id,
              ou: ou.id,
              coc: outCoc,
              aoc,
              value: text,
            });
          } else {
            summary.unchanged++;
          }
          if (forwardReference) {
            const pv = periodValues.get(period.id) ?? new Map<string, Value>();
            periodValues.set(period.id, pv);
            const v = objectValue(text, output.valueType);
            pv.set(`${output.id}.${outCoc}`, v);
            pv.set(output.id, v);
          }
        }
      }
      for (const [key, before] of old) {
        if (!key.includes(`/${ou.id}/`) || predicted.has(key) || before.deleted) continue;
        summary.deleted++;
        writes.push({ kind: "delete", row: before.row });
      }
    }
  }

  const store = dataValueStore(app);
  const now = app.state.clock.now();
  for (const w of writes) {
    if (w.kind === "delete") store.softDelete(w.row, now);
    else
      store.put(
        {
          dataElement: w.de,
          period: w.period,
          orgUnit: w.ou,
          categoryOptionCombo: w.coc,
          attributeOptionCombo: w.aoc,
        },
        { value: w.value, storedBy: user?.username ?? "system-process", now },
      );
  }
}
