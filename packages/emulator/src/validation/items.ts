/**
 * What the expression items of validation rules, indicators and predictors name in the metadata
 * store: their display names (dhis2-core `DataElementOperand.getDisplayName`: the data element,
 * then a non-default category option combo, or `*` when only the attribute combo is given, then a
 * non-default attribute option combo; `ReportingRate`: "<data set> - <metric>") and value types.
 * A missing object is DHIS2's "Cannot find <TYPE> for <id>".
 */
import type { ExpressionContext, ItemNode } from "@dhis2w/client";
import { DEFAULT_COC } from "../data/lookup.js";
import type { MetadataObject, MetadataStore } from "../metadata-store.js";
import { type DescribeEnv, ExpressionEvaluationError, type ItemValueType } from "./evaluate.js";

const NUMERIC = new Set([
  "NUMBER",
  "UNIT_INTERVAL",
  "PERCENTAGE",
  "INTEGER",
  "INTEGER_POSITIVE",
  "INTEGER_NEGATIVE",
  "INTEGER_ZERO_OR_POSITIVE",
]);
const BOOLEAN = new Set(["BOOLEAN", "TRUE_ONLY"]);
const DATE = new Set(["DATE", "DATETIME", "TIME", "AGE"]);

/** DHIS2's grouping of a `valueType` (`isNumeric()`, `isBoolean()`, `isDate()`, else text). */
export function valueTypeGroup(valueType: unknown): ItemValueType {
  const t = typeof valueType === "string" ? valueType : "NUMBER";
  return NUMERIC.has(t) ? "number" : BOOLEAN.has(t) ? "boolean" : DATE.has(t) ? "date" : "text";
}

/** True for the value types `ValueType.isInteger()` covers. */
export function isIntegerType(valueType: unknown): boolean {
  return typeof valueType === "string" && valueType.startsWith("INTEGER");
}

/** The display name DHIS2 shows for an object. */
export function displayName(obj: MetadataObject | undefined): string {
  return String(obj?.displayName ?? obj?.name ?? obj?.id ?? "");
}

const METRICS: Record<string, string> = {
  REPORTING_RATE: "Reporting rate",
  REPORTING_RATE_ON_TIME: "Reporting rate on time",
  ACTUAL_REPORTS: "Actual reports",
  ACTUAL_REPORTS_ON_TIME: "Actual reports on time",
  EXPECTED_REPORTS: "Expected reports",
};

function isDefaultCoc(md: MetadataStore, uid: string | undefined): boolean {
  if (!uid) return true;
  return uid === DEFAULT_COC || md.get("categoryOptionCombos", uid)?.name === "default";
}

/** DHIS2's `DimensionalItemId` in words, for "Cannot find X for Y". */
function itemId(node: ItemNode): string {
  const type =
    node.symbol === "#{"
      ? node.uid1 || node.uid2
        ? "DATA_ELEMENT_OPERAND"
        : "DATA_ELEMENT"
      : node.symbol === "D{"
        ? "PROGRAM_DATA_ELEMENT"
        : node.symbol === "A{"
          ? "PROGRAM_ATTRIBUTE"
          : node.symbol === "I{"
            ? "PROGRAM_INDICATOR"
            : node.symbol === "R{"
              ? "REPORTING_RATE"
              : "INDICATOR";
  return `${type} for ${node.text}`;
}

/**
 * Name and value type of an item, or throws DHIS2's message when what it names does not exist.
 * In indicators every item is numeric (`DimensionalItem.getItemValueType`).
 */
export function describeItem(
  md: MetadataStore,
  node: ItemNode,
  context: ExpressionContext,
): { name: string; valueType: ItemValueType } {
  const missing = () => new ExpressionEvaluationError(`Cannot find ${itemId(node)}`);
  const typed = (valueType: unknown) => (context === "indicator" ? "number" : valueTypeGroup(valueType));
  switch (node.symbol) {
    case "#{": {
      const de = md.get("dataElements", node.uid0);
      const coc = node.uid1 ? md.get("categoryOptionCombos", node.uid1) : undefined;
      const aoc = node.uid2 ? md.get("categoryOptionCombos", node.uid2) : undefined;
      if (!de || (node.uid1 && !coc) || (node.uid2 && !aoc)) throw missing();
      let name = displayName(de);
      const nonDefaultAoc = node.uid2 !== undefined && !isDefaultCoc(md, node.uid2);
      if (node.uid1 && !isDefaultCoc(md, node.uid1)) name += ` ${displayName(coc)}`;
      else if (nonDefaultAoc) name += " *";
      if (nonDefaultAoc) name += ` ${displayName(aoc)}`;
      return { name, valueType: typed(de.valueType) };
    }
    case "D{":
    case "A{": {
      const program = md.get("programs", node.uid0);
      const other = node.uid1
        ? md.get(node.symbol === "D{" ? "dataElements" : "trackedEntityAttributes", node.uid1)
        : undefined;
      if (!program || !other) throw missing();
      return { name: `${displayName(program)} ${displayName(other)}`, valueType: typed(other.valueType) };
    }
    case "I{": {
      const pi = md.get("programIndicators", node.uid0);
      if (!pi) throw missing();
      return { name: displayName(pi), valueType: "number" };
    }
    case "R{": {
      const ds = md.get("dataSets", node.uid0);
      if (!ds) throw missing();
      return {
        name: `${displayName(ds)} - ${METRICS[node.reportingRateType ?? ""] ?? ""}`,
        valueType: "number",
      };
    }
    case "N{": {
      const indicator = md.get("indicators", node.uid0);
      if (!indicator) throw missing();
      return { name: displayName(indicator), valueType: "number" };
    }
    default:
      throw missing();
  }
}

const OBJECT_TYPES = {
  ancestor: "organisationUnits",
  dataSet: "dataSets",
  group: "organisationUnitGroups",
  program: "programs",
} as const;

/** The describe pass's view of the metadata store. */
export function describeEnvFor(md: MetadataStore, context: ExpressionContext): DescribeEnv {
  return {
    describe: (node) => describeItem(md, node, context),
    constantName: (uid) => {
      const c = md.get("constants", uid);
      return c ? displayName(c) : undefined;
    },
    objectName: (kind, uid) => {
      const obj = md.get(OBJECT_TYPES[kind], uid);
      return obj ? displayName(obj) : undefined;
    },
  };
}

/** Constants by uid, as numbers (the evaluator's `constant` lookup). */
export function constantLookup(md: MetadataStore): (uid: string) => number | undefined {
  return (uid) => {
    const v = md.get("constants", uid)?.value;
    return typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : undefined;
  };
}
