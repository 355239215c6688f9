/**
 * The emulator's stores seen as DHIS2's PostgreSQL tables (the columns SQL views usually read;
 * names from dhis2-core's Hibernate mappings: `DataElement.hbm.xml`, `OrganisationUnit.hbm.xml`,
 * `DataValue.hbm.xml`, `Period.hbm.xml`, `CategoryOptionCombo.hbm.xml`, `DataSet.hbm.xml`).
 * Integer primary keys are numbered in the store's order (1, 2, ...), stable while nothing is
 * deleted; `uid` is the DHIS2 id. `period` has no ISO column (as in DHIS2): join on dates.
 */
import { tryParsePeriod } from "@dhis2w/client";
import type { EmulatorApp } from "../app.js";
import { dhis2Timestamp } from "../clock.js";
import { dataValueStore } from "../data/index.js";
import type { MetadataObject } from "../metadata-store.js";
import type { SqlTable, SqlValue, Tables } from "./sql.js";

const PERIOD_TYPES = [
  "Daily",
  "Weekly",
  "WeeklyWednesday",
  "WeeklyThursday",
  "WeeklySaturday",
  "WeeklySunday",
  "BiWeekly",
  "Monthly",
  "BiMonthly",
  "Quarterly",
  "QuarterlyNov",
  "SixMonthly",
  "SixMonthlyApril",
  "SixMonthlyNov",
  "Yearly",
  "FinancialApril",
  "FinancialJuly",
  "FinancialOct",
  "FinancialNov",
] as const;

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const refId = (v: unknown): string | null =>
  v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string"
    ? (v as { id: string }).id
    : null;

/** The tables of one emulator, built fresh per query (SQL views read the current state). */
export function tablesOf(app: EmulatorApp): Tables {
  const md = app.state.metadata;
  const ids = new Map<string, Map<string, number>>();
  const idOf = (plural: string, uid: string | null): number | null => {
    if (uid === null) return null;
    let m = ids.get(plural);
    if (!m) {
      m = new Map();
      let n = 0;
      for (const o of md.bucket(plural).values()) m.set(o.id, ++n);
      ids.set(plural, m);
    }
    return m.get(uid) ?? null;
  };
  const common = (plural: string, o: MetadataObject, idColumn: string): Record<string, SqlValue> => ({
    [idColumn]: idOf(plural, o.id),
    uid: o.id,
    code: str(o.code),
    name: str(o.name),
    created: str(o.created),
    lastupdated: str(o.lastUpdated),
  });
  const table = (columns: string[], rows: () => Iterable<Record<string, SqlValue>>): SqlTable => ({
    columns,
    rows,
  });

  // Periods are rows of their own in DHIS2 (created on first use by a data value).
  const periodIds = new Map<string, number>();
  const periodRows = () => {
    const out: Record<string, SqlValue>[] = [];
    for (const row of dataValueStore(app).rows({ includeDeleted: true })) {
      const iso = dataValueStore(app).periodOf(row);
      if (periodIds.has(iso)) continue;
      const p = tryParsePeriod(iso);
      periodIds.set(iso, periodIds.size + 1);
      out.push({
        periodid: periodIds.get(iso)!,
        periodtypeid: p ? PERIOD_TYPES.indexOf(p.periodType as (typeof PERIOD_TYPES)[number]) + 1 : null,
        startdate: p?.startDate ?? null,
        enddate: p?.endDate ?? null,
      });
    }
    return out;
  };
  const periodId = (iso: string): number => {
    if (!periodIds.has(iso)) periodRows();
    return periodIds.get(iso) ?? 0;
  };

  const TABLES: Record<string, () => SqlTable> = {
    dataelement: () =>
      table(
        [
          "dataelementid",
          "uid",
          "code",
          "name",
          "shortname",
          "formname",
          "description",
          "valuetype",
          "domaintype",
          "aggregationtype",
          "zeroissignificant",
          "categorycomboid",
          "created",
          "lastupdated",
        ],
        function* () {
          for (const o of md.bucket("dataElements").values()) {
            yield {
              ...common("dataElements", o, "dataelementid"),
              shortname: str(o.shortName),
              formname: str(o.formName),
              description: str(o.description),
              valuetype: str(o.valueType),
              domaintype: str(o.domainType),
              aggregationtype: str(o.aggregationType),
              zeroissignificant: o.zeroIsSignificant === true,
              categorycomboid: idOf("categoryCombos", refId(o.categoryCombo)),
            };
          }
        },
      ),
    organisationunit: () =>
      table(
        [
          "organisationunitid",
          "uid",
          "code",
          "name",
          "shortname",
          "path",
          "hierarchylevel",
          "parentid",
          "openingdate",
          "closeddate",
          "created",
          "lastupdated",
        ],
        function* () {
          for (const o of md.bucket("organisationUnits").values()) {
            yield {
              ...common("organisationUnits", o, "organisationunitid"),
              shortname: str(o.shortName),
              path: str(o.path),
              hierarchylevel: typeof o.level === "number" ? o.level : null,
              parentid: idOf("organisationUnits", refId(o.parent)),
              openingdate: str(o.openingDate)?.slice(0, 10) ?? null,
              closeddate: str(o.closedDate)?.slice(0, 10) ?? null,
            };
          }
        },
      ),
    categoryoptioncombo: () =>
      table(["categoryoptioncomboid", "uid", "code", "name", "created", "lastupdated"], function* () {
        for (const o of md.bucket("categoryOptionCombos").values()) {
          yield common("categoryOptionCombos", o, "categoryoptioncomboid");
        }
      }),
    dataset: () =>
      table(
        ["datasetid", "uid", "code", "name", "shortname", "periodtypeid", "created", "lastupdated"],
        function* () {
          for (const o of md.bucket("dataSets").values()) {
            yield {
              ...common("dataSets", o, "datasetid"),
              shortname: str(o.shortName),
              periodtypeid:
                PERIOD_TYPES.indexOf(String(o.periodType) as (typeof PERIOD_TYPES)[number]) + 1 || null,
            };
          }
        },
      ),
    periodtype: () =>
      table(["periodtypeid", "name"], function* () {
        for (const [i, name] of PERIOD_TYPES.entries()) yield { periodtypeid: i + 1, name };
      }),
    period: () => table(["periodid", "periodtypeid", "startdate", "enddate"], periodRows),
    datavalue: () =>
      table(
        [
          "dataelementid",
          "periodid",
          "sourceid",
          "categoryoptioncomboid",
          "attributeoptioncomboid",
          "value",
          "storedby",
          "created",
          "lastupdated",
          "comment",
          "followup",
          "deleted",
        ],
        function* () {
          const store = dataValueStore(app);
          for (const row of store.rows({ includeDeleted: true })) {
            const v = store.get(row);
            yield {
              dataelementid: idOf("dataElements", v.dataElement),
              periodid: periodId(v.period),
              sourceid: idOf("organisationUnits", v.orgUnit),
              categoryoptioncomboid: idOf("categoryOptionCombos", v.categoryOptionCombo),
              attributeoptioncomboid: idOf("categoryOptionCombos", v.attributeOptionCombo),
              value: v.value,
              storedby: v.storedBy,
              created: dhis2Timestamp(v.created),
              lastupdated: dhis2Timestamp(v.lastUpdated),
              comment: v.comment ?? null,
              followup: v.followup,
              deleted: v.deleted,
            };
          }
        },
      ),
  };
  return (name) => TABLES[name]?.();
}

/** The table names {@link tablesOf} knows (for error messages). */
export const TABLE_NAMES = [
  "dataelement",
  "organisationunit",
  "categoryoptioncombo",
  "dataset",
  "period",
  "periodtype",
  "datavalue",
] as const;
