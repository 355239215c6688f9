/**
 * The demo seed's part for the toolkit's second round: SQL views of every type over the tables
 * the emulator's SQL engine knows, and a FILE_RESOURCE tracked entity attribute (for a tracker
 * import that carries an uploaded file). Deterministic UIDs from their own PRNG stream.
 */
import type { EmulatorState } from "../state.js";
import { createSeedContext } from "./context.js";

/** Ids of what {@link seedToolkitDemo} created. */
export interface ToolkitDemoIds {
  sqlViews: {
    /** QUERY with a `${valueType}` variable. */
    dataElementsByValueType: string;
    /** QUERY with a `${level}` variable. */
    orgUnitsAtLevel: string;
    /** VIEW: needs `/execute` before its data can be read. */
    dataValueCounts: string;
    /** MATERIALIZED_VIEW: a snapshot, renewed by `/refresh`. */
    orgUnitHierarchy: string;
  };
  /** A tracked entity attribute of value type FILE_RESOURCE. */
  fileAttribute: string;
}

/**
 * Adds the toolkit demo objects (called once from the SQL view module's `install` on the demo seed).
 *
 * @example
 * const ids = seedToolkitDemo(app.state);
 */
export function seedToolkitDemo(state: EmulatorState): ToolkitDemoIds {
  const ctx = createSeedContext(state);
  const uid = ctx.uids("toolkitDemo");
  const view = (name: string, type: string, sqlQuery: string, description?: string) =>
    ctx.put("sqlViews", {
      id: uid(),
      name,
      type,
      sqlQuery,
      cacheStrategy: "RESPECT_SYSTEM_SETTING",
      ...(description ? { description } : {}),
      sharing: { public: "rwrw----", external: false, users: {}, userGroups: {} },
    }).id;
  // `${name}` is DHIS2's variable syntax in a view's SQL, not a template placeholder.
  const v = (name: string) => `$\{${name}}`;
  const sqlViews = {
    dataElementsByValueType: view(
      "Data elements by value type",
      "QUERY",
      `select uid, code, name, valuetype from dataelement where valuetype = '${v("valueType")}' order by name`,
      "Aggregate and tracker data elements of one value type",
    ),
    orgUnitsAtLevel: view(
      "Org units at level",
      "QUERY",
      `select uid, code, name, path from organisationunit where hierarchylevel = ${v("level")} order by name`,
    ),
    dataValueCounts: view(
      "Data value counts",
      "VIEW",
      "select de.uid as dataelement, de.name as name, count(*) as value_count from datavalue dv " +
        "join dataelement de on de.dataelementid = dv.dataelementid where dv.deleted = false " +
        "group by de.uid, de.name order by de.name",
    ),
    orgUnitHierarchy: view(
      "Org unit hierarchy",
      "MATERIALIZED_VIEW",
      "select uid, name, hierarchylevel, path from organisationunit order by hierarchylevel, name",
    ),
  };
  const fileAttribute = ctx.put("trackedEntityAttributes", {
    id: uid(),
    name: "Consent form",
    shortName: "Consent form",
    code: "TEA_CONSENT_FORM",
    valueType: "FILE_RESOURCE",
    aggregationType: "NONE",
  }).id;
  return { sqlViews, fileAttribute };
}
