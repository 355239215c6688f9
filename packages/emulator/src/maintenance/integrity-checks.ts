/**
 * The data integrity checks the emulator computes from the stored metadata. Names, sections,
 * severities and issue id types are DHIS2's:
 * - the "programmatic" checks of dhis2-core `dataintegrity/DataIntegrityCheckType.java` (name = the
 *   enum in lower case; registered by `DefaultDataIntegrityService.registerNonDatabaseIntegrityCheck`,
 *   whose default severity is WARNING and section "Other" unless the i18n bundle says otherwise);
 * - the SQL checks of dhis2-core `dhis-service-administration/src/main/resources/data-integrity-checks/`
 *   (`data_elements/aggregate_des_no_groups.yaml`, `categories/category_combos_unused.yaml`,
 *   `indicators/indicator_nongrouped.yaml`, `option_sets/unused_option_sets.yaml`,
 *   `datasets/datasets_not_assigned_to_org_units.yaml`, `orgunits/orgunits_orphaned.yaml`,
 *   `orgunits/orgunits_no_groups.yaml`): the same predicates as their `details_sql`, issues ordered
 *   by name. Display names of the programmatic checks come from DHIS2's i18n bundle, which we could
 *   not read; ours are close paraphrases (the docs' example: "Data elements lacking groups").
 */
import {
  cyclicOrgUnits,
  dataElementsInDataSets,
  dataSetsWithOrgUnits,
  deGroups,
  type IntegrityCheckDef,
  type IntegritySeverity,
  indicatorGroups,
  isAggregate,
  orphanedOrgUnits,
  ouGroups,
  unmatched,
  usedCategoryCombos,
  usedOptionSets,
} from "./integrity-rules.js";

export type { IntegrityCheckDef, IntegrityIssue, IntegritySeverity } from "./integrity-rules.js";

const programmatic = (
  name: string,
  displayName: string,
  section: string,
  issuesIdType: string,
  description: string,
  run: IntegrityCheckDef["run"],
  severity: IntegritySeverity = "WARNING",
): IntegrityCheckDef => ({
  name,
  displayName,
  section,
  sectionOrder: 0,
  severity,
  description,
  issuesIdType,
  isSlow: false,
  isProgrammatic: true,
  run,
});

/** Every check, in DHIS2's order (programmatic first, then by section). */
export const INTEGRITY_CHECKS: readonly IntegrityCheckDef[] = [
  programmatic(
    "data_elements_without_data_sets",
    "Data elements lacking data sets",
    "Data Elements",
    "dataElements",
    "Lists all aggregate data elements that are not assigned to any data set",
    (s) => unmatched(s, "dataElements", dataElementsInDataSets(s), isAggregate),
  ),
  programmatic(
    "data_elements_without_groups",
    "Data elements lacking groups",
    "Data Elements",
    "dataElements",
    "Lists all data elements that have no data element groups",
    (s) => unmatched(s, "dataElements", deGroups(s)),
  ),
  programmatic(
    "data_sets_not_assigned_to_org_units",
    "Data sets not assigned to organisation units",
    "Data Sets",
    "dataSets",
    "Lists all data sets that are not assigned to any organisation unit",
    (s) => unmatched(s, "dataSets", dataSetsWithOrgUnits(s)),
  ),
  programmatic(
    "indicators_without_groups",
    "Indicators lacking groups",
    "Indicators",
    "indicators",
    "Lists all indicators that are not in any indicator group",
    (s) => unmatched(s, "indicators", indicatorGroups(s)),
  ),
  programmatic(
    "org_units_with_cyclic_references",
    "Organisation units with cyclic references",
    "Organisation Units",
    "organisationUnits",
    "Lists organisation units whose parent chain leads back to themselves",
    cyclicOrgUnits,
  ),
  programmatic(
    "org_units_being_orphaned",
    "Orphaned organisation units",
    "Organisation Units",
    "organisationUnits",
    "Lists organisation units that have neither a parent nor children",
    orphanedOrgUnits,
  ),
  programmatic(
    "org_units_without_groups",
    "Organisation units lacking groups",
    "Organisation Units",
    "organisationUnits",
    "Lists organisation units that are not in any organisation unit group",
    (s) => unmatched(s, "organisationUnits", ouGroups(s)),
  ),
  {
    name: "category_combos_unused",
    displayName: "Category combinations not used by other metadata objects",
    section: "Categories",
    sectionOrder: 6,
    severity: "WARNING",
    description: "Category combinations not used by other metadata objects",
    introduction:
      "Category combinations which are unused in any datasets, data elements, programs or data approval workflows may be safe to delete.",
    recommendation:
      "Check to see if any data is associated with the category combination before attempting to delete it.",
    issuesIdType: "categoryCombos",
    isSlow: false,
    isProgrammatic: false,
    // The details SQL puts the combo's `created` in the comment.
    run: (s) =>
      unmatched(s, "categoryCombos", usedCategoryCombos(s), undefined, (o) =>
        typeof o.created === "string" ? o.created : undefined,
      ),
  },
  {
    name: "data_elements_aggregate_no_groups",
    displayName: "Aggregate data elements not in any data element groups",
    section: "Data elements (aggregate)",
    sectionOrder: 4,
    severity: "WARNING",
    description: "Aggregate data elements not in any data element groups.",
    introduction: "All data elements should be in a data element group.",
    recommendation:
      "Data elements that are not in a data element group should be added to a relevant data element group.",
    issuesIdType: "dataElements",
    isSlow: false,
    isProgrammatic: false,
    run: (s) => unmatched(s, "dataElements", deGroups(s), isAggregate),
  },
  {
    name: "datasets_not_assigned_to_org_units",
    displayName: "Data sets which have not been assigned to any organisation units",
    section: "Data sets",
    sectionOrder: 2,
    severity: "WARNING",
    description: "Data sets which have not been assigned to any organisation units",
    introduction: "Datasets should be assigned to organisation units.",
    recommendation:
      "Assign the data sets to the correct organisation units, or remove them if no longer needed.",
    issuesIdType: "dataSets",
    isSlow: false,
    isProgrammatic: false,
    run: (s) => unmatched(s, "dataSets", dataSetsWithOrgUnits(s)),
  },
  {
    name: "indicators_not_grouped",
    displayName: "Indicators not in any groups",
    section: "Indicators",
    sectionOrder: 2,
    severity: "WARNING",
    description: "Indicators not in any groups.",
    introduction: "All indicators should be in an indicator group.",
    recommendation:
      "Indicators that are not in a indicator group should be added to a relevant indicator group.",
    issuesIdType: "indicators",
    isSlow: false,
    isProgrammatic: false,
    run: (s) => unmatched(s, "indicators", indicatorGroups(s)),
  },
  {
    name: "options_sets_unused",
    displayName: "Option sets which are not used",
    section: "Option sets",
    sectionOrder: 2,
    severity: "WARNING",
    description: "Option sets which are not used",
    introduction:
      "Option sets should be used for some purpose either with attributes, data elements, or comments.",
    recommendation:
      "Consider deleting unused option sets, or alternatively, ensure that they have been properly assigned.",
    // Sic: the YAML says `option_sets`, not the plural `optionSets`.
    issuesIdType: "option_sets",
    isSlow: false,
    isProgrammatic: false,
    run: (s) => unmatched(s, "optionSets", usedOptionSets(s)),
  },
  {
    name: "organisation_units_without_groups",
    displayName: "Organisation units with no groups",
    section: "Organisation units",
    sectionOrder: 13,
    severity: "WARNING",
    description: "Organisation units with no groups.",
    introduction: "All organisation units should usually belong to at least one organisation unit group.",
    recommendation:
      "Create useful organisation unit groups to help users filter certain classes of organisation units.",
    issuesIdType: "organisationUnits",
    isSlow: false,
    isProgrammatic: false,
    run: (s) => unmatched(s, "organisationUnits", ouGroups(s)),
  },
  {
    name: "orgunits_orphaned",
    displayName: "Orphaned organisation units",
    section: "Organisation units",
    sectionOrder: 9,
    severity: "CRITICAL",
    description: "Orphaned organisation units.",
    introduction: "Orphaned organisation units are those which have neither parents nor any children.",
    recommendation: "The orphaned organisation units should be assigned a parent or removed from the system.",
    issuesIdType: "organisationUnits",
    isSlow: false,
    isProgrammatic: false,
    run: orphanedOrgUnits,
  },
];

/** DHIS2's check code: the first letter of each `_`-separated word, upper case (`orgunits_orphaned` -> `OO`). */
export function checkCode(name: string): string {
  return name
    .split("_")
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() ?? "")
    .join("");
}

/** The catalog entry of `GET /api/dataIntegrity`. */
export function catalogEntry(check: IntegrityCheckDef): Record<string, unknown> {
  const { run: _run, ...entry } = check;
  return { ...entry, code: checkCode(check.name) };
}

/**
 * Resolves a `checks` selection as DHIS2 does: comma-separated exact names, `*` wildcard patterns
 * or codes (`OO`); `-` reads as `_`; duplicates dropped; unknown names ignored. Empty selects all
 * non-slow checks.
 */
export function selectChecks(patterns: readonly string[]): IntegrityCheckDef[] {
  const wanted = patterns
    .flatMap((p) => p.split(","))
    .map((p) => p.trim().replace(/-/g, "_"))
    .filter(Boolean);
  if (wanted.length === 0) return INTEGRITY_CHECKS.filter((c) => !c.isSlow);
  const matchers = wanted.map((p) => {
    if (p.includes("*")) {
      const re = new RegExp(`^${p.split("*").map(escapeRe).join(".*")}$`, "i");
      return (c: IntegrityCheckDef) => re.test(c.name);
    }
    return (c: IntegrityCheckDef) => c.name.toLowerCase() === p.toLowerCase() || checkCode(c.name) === p;
  });
  return INTEGRITY_CHECKS.filter((c) => matchers.some((m) => m(c)));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
