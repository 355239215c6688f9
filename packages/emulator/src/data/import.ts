/**
 * The emulator's data value set import, after dhis2-core `DefaultDataValueSetService` and
 * `DataValueSetImportValidator`: each row is checked in DHIS2's order and the first failing check
 * becomes a conflict (the row is then ignored). Conflict codes and messages are dhis2-core's
 * `ErrorCode` E7610-E7621 through `DataValueImportConflict` (objects keyed by the singular type
 * name: dataElement, period, organisationUnit, categoryOptionCombo, user); conflicts with the same
 * code and objects are merged into one with several `indexes`, as `ImportConflict.mergeWith` does.
 */
import { tryParsePeriod } from "@dhis2w/client";
import type { MetadataObject } from "../metadata-store.js";
import type { DataLookup, IdScheme } from "./lookup.js";
import type { DataValueStore } from "./store.js";
import { normalizeBoolean, valueTypeProblem } from "./value-types.js";

/** `importStrategy` values. */
export type ImportStrategy = "CREATE" | "UPDATE" | "CREATE_AND_UPDATE" | "DELETE";

/** Options of one import. */
export interface DataImportOptions {
  strategy: ImportStrategy;
  dryRun: boolean;
  dataElementIdScheme: IdScheme;
  orgUnitIdScheme: IdScheme;
  categoryOptionComboIdScheme: IdScheme;
  /** The importing user's uid and name (capture scope conflicts name them). */
  userId: string;
  username: string;
  now: number;
}

/** A conflict as DHIS2 serialises it. */
export interface WireConflict {
  object: string;
  objects: Record<string, string>;
  value: string;
  errorCode: string;
  property?: string;
  indexes: number[];
}

/** The ImportSummary body (without `importOptions`). */
export interface ImportSummaryBody {
  responseType: "ImportSummary";
  status: "SUCCESS" | "WARNING" | "ERROR";
  description: string;
  importCount: { imported: number; updated: number; ignored: number; deleted: number };
  conflicts: WireConflict[];
  rejectedIndexes: number[];
  dataSetComplete: string;
}

/** A row as posted (loosely typed: anything may be missing). */
type Row = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Collects conflicts, merging repeats of the same code + objects. */
class Conflicts {
  readonly #byKey = new Map<string, WireConflict>();
  readonly rejected: number[] = [];

  add(
    index: number,
    errorCode: string,
    property: string | undefined,
    objects: Record<string, string>,
    value: string,
  ): void {
    const key = `${errorCode}:${Object.values(objects).join(":")}`;
    const seen = this.#byKey.get(key);
    if (seen) seen.indexes.push(index);
    else {
      const c: WireConflict = {
        object: Object.values(objects)[0] ?? "",
        objects,
        value,
        errorCode,
        indexes: [index],
      };
      if (property) c.property = property;
      this.#byKey.set(key, c);
    }
    this.rejected.push(index);
  }

  list(): WireConflict[] {
    return [...this.#byKey.values()];
  }
}

/**
 * Imports the rows of one data value set into the store (or only counts them on `dryRun`).
 *
 * @example
 * const summary = importDataValueSet(store, lookup, { dataValues: [...] }, options);
 */
export function importDataValueSet(
  store: DataValueStore,
  lookup: DataLookup,
  set: { dataValues?: unknown; orgUnit?: unknown; period?: unknown; attributeOptionCombo?: unknown },
  options: DataImportOptions,
): ImportSummaryBody {
  const rows = Array.isArray(set.dataValues) ? (set.dataValues as unknown[]) : [];
  const count = { imported: 0, updated: 0, ignored: 0, deleted: 0 };
  const conflicts = new Conflicts();
  const seenInDryRun = options.dryRun ? new Set<string>() : undefined;
  const setOu = str(set.orgUnit);
  const setPe = str(set.period);
  const setAoc = str(set.attributeOptionCombo);

  rows.forEach((raw, index) => {
    const row: Row = raw && typeof raw === "object" ? (raw as Row) : {};
    const deRef = str(row.dataElement) ?? "";
    const peRef = str(row.period) ?? setPe ?? "";
    const ouRef = str(row.orgUnit) ?? setOu ?? "";
    const cocRef = str(row.categoryOptionCombo);
    const aocRef = str(row.attributeOptionCombo) ?? setAoc;

    const de = lookup.resolve("dataElements", deRef, options.dataElementIdScheme);
    if (!de) {
      conflicts.add(
        index,
        "E7610",
        "dataElement",
        { dataElement: deRef },
        `Data element not found or not accessible: \`${deRef}\``,
      );
      return;
    }
    if (!tryParsePeriod(peRef)) {
      conflicts.add(index, "E7611", "period", { period: peRef }, `Period not valid: \`${peRef}\``);
      return;
    }
    const ou = lookup.resolve("organisationUnits", ouRef, options.orgUnitIdScheme);
    if (!ou) {
      conflicts.add(
        index,
        "E7612",
        "orgUnit",
        { organisationUnit: ouRef },
        `Organisation unit not found or not accessible: \`${ouRef}\``,
      );
      return;
    }
    let coc = lookup.defaultCoc();
    if (cocRef) {
      const found = lookup.resolve("categoryOptionCombos", cocRef, options.categoryOptionComboIdScheme);
      if (!found && !(cocRef === coc && lookup.hasCoc(coc))) {
        conflicts.add(
          index,
          "E7613",
          "categoryOptionCombo",
          { categoryOptionCombo: cocRef },
          `Category option combo not found or not accessible for writing data: \`${cocRef}\``,
        );
        return;
      }
      coc = found?.id ?? coc;
    }
    let aoc = lookup.defaultCoc();
    if (aocRef) {
      const found = lookup.resolve("categoryOptionCombos", aocRef, options.categoryOptionComboIdScheme);
      if (!found && !(aocRef === aoc && lookup.hasCoc(aoc))) {
        conflicts.add(
          index,
          "E7615",
          "attributeOptionCombo",
          { categoryOptionCombo: aocRef },
          `Attribute option combo not found or not accessible for writing data: \`${aocRef}\``,
        );
        return;
      }
      aoc = found?.id ?? aoc;
    }
    if (!lookup.inCaptureScope(ou)) {
      conflicts.add(
        index,
        "E7617",
        "orgUnit",
        { organisationUnit: ou.id, user: options.userId },
        `Organisation unit: \`${ou.id}\` not in hierarchy of current user: \`${options.userId}\``,
      );
      return;
    }
    const deleting = options.strategy === "DELETE" || row.deleted === true;
    let value = row.value === undefined || row.value === null ? null : String(row.value);
    const comment = str(row.comment) ?? null;
    if (!deleting) {
      if (value === null && comment === null) {
        conflicts.add(
          index,
          "E7618",
          "value",
          { dataElement: de.id },
          `Data value or comment not specified for data element: \`${de.id}\``,
        );
        return;
      }
      if (value !== null) {
        const problem = checkValue(de, value, lookup);
        if (problem) {
          conflicts.add(index, problem.code, "value", problem.objects, problem.message);
          return;
        }
        if (de.valueType === "BOOLEAN" || de.valueType === "TRUE_ONLY")
          value = normalizeBoolean(value) ?? value;
      }
    }

    const key = {
      dataElement: de.id,
      period: peRef,
      orgUnit: ou.id,
      categoryOptionCombo: coc,
      attributeOptionCombo: aoc,
    };
    const row0 = store.find(key);
    let exists = store.exists(row0);
    if (seenInDryRun) {
      const k = `${de.id}|${peRef}|${ou.id}|${coc}|${aoc}`;
      exists = exists || seenInDryRun.has(k);
      seenInDryRun.add(k);
    }
    if (deleting) {
      if (!exists) {
        count.ignored++;
        return;
      }
      if (!options.dryRun) store.softDelete(row0, options.now);
      count.deleted++;
      return;
    }
    if ((options.strategy === "CREATE" && exists) || (options.strategy === "UPDATE" && !exists)) {
      count.ignored++;
      return;
    }
    if (!options.dryRun) {
      store.put(key, {
        value,
        comment,
        followup: row.followup === true,
        storedBy: str(row.storedBy) ?? options.username,
        now: options.now,
      });
    }
    if (exists) count.updated++;
    else count.imported++;
  });

  count.ignored += conflicts.rejected.length;
  const list = conflicts.list();
  return {
    responseType: "ImportSummary",
    status: list.length > 0 ? "WARNING" : "SUCCESS",
    description: "Import process completed successfully",
    importCount: count,
    conflicts: list,
    rejectedIndexes: conflicts.rejected.sort((a, b) => a - b),
    dataSetComplete: "false",
  };
}

function checkValue(
  de: MetadataObject,
  value: string,
  lookup: DataLookup,
): { code: string; objects: Record<string, string>; message: string } | undefined {
  const problem = valueTypeProblem(String(de.valueType ?? "TEXT"), value);
  if (problem) {
    // E7619 "Value must match data element''s `{0}` type constraints: {1}" (MessageFormat turns '' into ').
    return {
      code: "E7619",
      objects: { dataElement: de.id, value: problem.key },
      message: `Value must match data element's \`${de.id}\` type constraints: ${problem.text}`,
    };
  }
  const codes = lookup.optionCodes(de);
  if (codes && !codes.has(value)) {
    return {
      code: "E7621",
      objects: { dataElement: de.id },
      message: `Data value is not a valid option of the data element option set: \`${de.id}\``,
    };
  }
  return undefined;
}
