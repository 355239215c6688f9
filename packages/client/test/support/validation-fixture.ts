/**
 * Metadata and data values planted through the client for the validation and predictor tests:
 * data elements of their own (so no seeded value can interfere), rules that exercise each
 * operator and missing value strategy, and predictors with sequential, skipped and annual samples.
 */
import { type Dhis2Client, generateUid } from "@dhis2w/client";

const DEFAULT_COMBO = { id: "bjDvmb4bfuf" };

/** What {@link plantValidation} created. */
export interface ValidationFixture {
  /** Two facilities (level 4) of one district, and that district. */
  facility: string;
  otherFacility: string;
  district: string;
  de: { x: string; y: string; z: string; spare: string };
  rules: Record<
    | "lessOrEqual"
    | "never"
    | "skipAll"
    | "skipAny"
    | "skipAllSum"
    | "compulsory"
    | "exclusive"
    | "districtOnly"
    | "quarterly",
    string
  >;
  /** Every rule above. */
  group: string;
  /** Only `lessOrEqual`. */
  smallGroup: string;
}

const dataElement = (id: string, name: string, valueType = "NUMBER") => ({
  id,
  name,
  shortName: name,
  valueType,
  domainType: "AGGREGATE",
  aggregationType: "SUM",
  categoryCombo: DEFAULT_COMBO,
});

/** Two facilities of one district of the demo seed. */
export async function twoFacilities(
  client: Dhis2Client,
): Promise<{ facility: string; otherFacility: string; district: string }> {
  const list = (await client.getRaw("/api/organisationUnits", {
    params: { filter: "level:eq:4", fields: "id,parent[id]", paging: "false", order: "name:asc" },
  })) as { organisationUnits: { id: string; parent: { id: string } }[] };
  const [first, ...rest] = list.organisationUnits;
  if (!first) throw new Error("the demo seed has no facilities");
  const sibling = rest.find((o) => o.parent.id === first.parent.id);
  if (!sibling) throw new Error("no two facilities share a district");
  return { facility: first.id, otherFacility: sibling.id, district: first.parent.id };
}

/**
 * Plants the rules and their data: in 202401 at `facility` x=10, y=4 (breaks `lessOrEqual`
 * x <= y), in 202402 x=3, y=4 (keeps it); in 202403 x=5, z=7 and no y (the missing value rules).
 */
export async function plantValidation(client: Dhis2Client): Promise<ValidationFixture> {
  const ous = await twoFacilities(client);
  const de = { x: generateUid(), y: generateUid(), z: generateUid(), spare: generateUid() };
  const side = (expression: string, missingValueStrategy = "NEVER_SKIP") => ({
    expression,
    missingValueStrategy,
  });
  const ids = {
    lessOrEqual: generateUid(),
    never: generateUid(),
    skipAll: generateUid(),
    skipAny: generateUid(),
    skipAllSum: generateUid(),
    compulsory: generateUid(),
    exclusive: generateUid(),
    districtOnly: generateUid(),
    quarterly: generateUid(),
  };
  const rule = (
    id: string,
    name: string,
    operator: string,
    leftSide: object,
    rightSide: object,
    extra: object = {},
  ) => ({
    id,
    name,
    operator,
    periodType: "Monthly",
    importance: "MEDIUM",
    leftSide,
    rightSide,
    ...extra,
  });
  const x = `#{${de.x}}`;
  const y = `#{${de.y}}`;
  const z = `#{${de.z}}`;
  const rules = [
    rule(
      ids.lessOrEqual,
      "VT x <= y",
      "less_than_or_equal_to",
      side(x, "SKIP_IF_ALL_VALUES_MISSING"),
      side(y, "SKIP_IF_ALL_VALUES_MISSING"),
      {
        importance: "HIGH",
        description: "x never exceeds y",
      },
    ),
    rule(ids.never, "VT never skip", "less_than_or_equal_to", side(x), side(y)),
    rule(
      ids.skipAll,
      "VT skip if all",
      "less_than_or_equal_to",
      side(x),
      side(y, "SKIP_IF_ALL_VALUES_MISSING"),
    ),
    rule(
      ids.skipAny,
      "VT skip if any",
      "less_than_or_equal_to",
      side(`${x}+${y}`, "SKIP_IF_ANY_VALUE_MISSING"),
      side("1"),
    ),
    rule(
      ids.skipAllSum,
      "VT sum skip if all",
      "less_than_or_equal_to",
      side(`${x}+${y}`, "SKIP_IF_ALL_VALUES_MISSING"),
      side("1"),
    ),
    rule(
      ids.compulsory,
      "VT compulsory pair",
      "compulsory_pair",
      side(x, "SKIP_IF_ALL_VALUES_MISSING"),
      side(y, "SKIP_IF_ALL_VALUES_MISSING"),
    ),
    rule(
      ids.exclusive,
      "VT exclusive pair",
      "exclusive_pair",
      side(x, "SKIP_IF_ALL_VALUES_MISSING"),
      side(z, "SKIP_IF_ALL_VALUES_MISSING"),
    ),
    rule(ids.districtOnly, "VT district level", "less_than_or_equal_to", side(x), side(y), {
      organisationUnitLevels: [3],
    }),
    rule(ids.quarterly, "VT quarterly", "less_than_or_equal_to", side(x), side(y), {
      periodType: "Quarterly",
    }),
  ];
  const group = generateUid();
  const smallGroup = generateUid();
  const report = await client.metadata.import({
    dataElements: [
      dataElement(de.x, `VT x ${de.x}`),
      dataElement(de.y, `VT y ${de.y}`),
      dataElement(de.z, `VT z ${de.z}`),
      dataElement(de.spare, `VT spare ${de.spare}`),
    ],
    validationRules: rules,
    validationRuleGroups: [
      { id: group, name: `VT all ${group}`, validationRules: rules.map((r) => ({ id: r.id })) },
      { id: smallGroup, name: `VT small ${smallGroup}`, validationRules: [{ id: ids.lessOrEqual }] },
    ],
  } as never);
  if (report.status === "ERROR")
    throw new Error(`planting validation metadata failed: ${JSON.stringify(report)}`);
  const v = (dataElement: string, period: string, value: string, orgUnit = ous.facility) => ({
    dataElement,
    period,
    orgUnit,
    value,
  });
  await client.dataValues.import({
    dataValues: [
      v(de.x, "202401", "10"),
      v(de.y, "202401", "4"),
      v(de.x, "202402", "3"),
      v(de.y, "202402", "4"),
      v(de.x, "202403", "5"),
      v(de.z, "202403", "7"),
      v(de.x, "202401", "1", ous.otherFacility),
      v(de.y, "202401", "2", ous.otherFacility),
    ],
  });
  return { ...ous, de, rules: ids, group, smallGroup };
}

/** The `organisationUnitLevels` object of each level, creating the ones the server lacks. */
export async function levelObjects(
  client: Dhis2Client,
  levels: readonly number[],
): Promise<Record<number, string>> {
  const existing = (await client.getRaw("/api/organisationUnitLevels", {
    params: { fields: "id,level", paging: "false" },
  })) as { organisationUnitLevels: { id: string; level: number }[] };
  const out: Record<number, string> = {};
  for (const l of existing.organisationUnitLevels) out[l.level] = l.id;
  const missing = levels
    .filter((l) => out[l] === undefined)
    .map((level) => ({ id: generateUid(), name: `Level ${level}`, level }));
  if (missing.length > 0) {
    await client.metadata.import({ organisationUnitLevels: missing } as never);
    for (const m of missing) out[m.level] = m.id;
  }
  return out;
}

/** What {@link plantPredictors} created. */
export interface PredictorFixture {
  facility: string;
  otherFacility: string;
  district: string;
  input: string;
  out: { sum: string; avg: string; count: string; district: string; selected: string };
  predictors: { sum: string; avg: string; count: string; district: string; selected: string };
  /** `sum` and `avg`. */
  group: string;
}

/**
 * Plants an input data element with values at two facilities (202401-202403: 10, 20, 30 at
 * `facility`, 1, 2, 3 at `otherFacility`; 202304: 100 at `facility`) and predictors over it:
 * `sum(#{in})` over 3 months, `avg(#{in})` over 2 months skipping the nearest plus one past year
 * (into an INTEGER output), `count(#{in})` likewise, `sum` at district level of everything below
 * (DESCENDANTS), and `sum` at district level of the district's own data (SELECTED).
 */
export async function plantPredictors(client: Dhis2Client): Promise<PredictorFixture> {
  const ous = await twoFacilities(client);
  const levels = await levelObjects(client, [3, 4]);
  const input = generateUid();
  const out = {
    sum: generateUid(),
    avg: generateUid(),
    count: generateUid(),
    district: generateUid(),
    selected: generateUid(),
  };
  const ids = {
    sum: generateUid(),
    avg: generateUid(),
    count: generateUid(),
    district: generateUid(),
    selected: generateUid(),
  };
  const predictor = (id: string, name: string, output: string, expression: string, extra: object) => ({
    id,
    name,
    shortName: name,
    output: { id: output },
    periodType: "Monthly",
    generator: { expression, missingValueStrategy: "SKIP_IF_ALL_VALUES_MISSING" },
    organisationUnitLevels: [{ id: levels[4] }],
    organisationUnitDescendants: "DESCENDANTS",
    sequentialSampleCount: 3,
    annualSampleCount: 0,
    ...extra,
  });
  const group = generateUid();
  const report = await client.metadata.import({
    dataElements: [
      dataElement(input, `PT input ${input}`),
      dataElement(out.sum, `PT sum ${out.sum}`),
      dataElement(out.avg, `PT avg ${out.avg}`, "INTEGER"),
      dataElement(out.count, `PT count ${out.count}`),
      dataElement(out.district, `PT district ${out.district}`),
      dataElement(out.selected, `PT selected ${out.selected}`),
    ],
    predictors: [
      predictor(ids.sum, `PT sum ${ids.sum}`, out.sum, `sum(#{${input}})`, {}),
      predictor(ids.avg, `PT avg ${ids.avg}`, out.avg, `avg(#{${input}})`, {
        sequentialSampleCount: 2,
        sequentialSkipCount: 1,
        annualSampleCount: 1,
      }),
      predictor(ids.count, `PT count ${ids.count}`, out.count, `count(#{${input}})`, {
        sequentialSampleCount: 2,
        sequentialSkipCount: 1,
        annualSampleCount: 1,
      }),
      predictor(ids.district, `PT district ${ids.district}`, out.district, `sum(#{${input}})`, {
        organisationUnitLevels: [{ id: levels[3] }],
      }),
      predictor(ids.selected, `PT selected ${ids.selected}`, out.selected, `sum(#{${input}})`, {
        organisationUnitLevels: [{ id: levels[3] }],
        organisationUnitDescendants: "SELECTED",
      }),
    ],
    predictorGroups: [
      { id: group, name: `PT group ${group}`, predictors: [{ id: ids.sum }, { id: ids.avg }] },
    ],
  } as never);
  if (report.status === "ERROR") throw new Error(`planting predictors failed: ${JSON.stringify(report)}`);
  const v = (period: string, value: number, orgUnit = ous.facility) => ({
    dataElement: input,
    period,
    orgUnit,
    value: String(value),
  });
  await client.dataValues.import({
    dataValues: [
      v("202401", 10),
      v("202402", 20),
      v("202403", 30),
      v("202304", 100),
      v("202401", 1, ous.otherFacility),
      v("202402", 2, ous.otherFacility),
      v("202403", 3, ous.otherFacility),
    ],
  });
  return { ...ous, input, out, predictors: ids, group };
}
