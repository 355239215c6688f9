/**
 * Validation: plants a rule ("ANC 2nd visits never exceed ANC 1st visits") and data that breaks
 * it in one month, runs validation rule analysis over the district and finds exactly that
 * violation, stores it as a validation result, asks DHIS2 to describe expressions in words, and
 * shows an expression DHIS2 would refuse being refused first, with the position.
 *
 * Against DHIS2_URL (+ credentials) it only reads: it runs the server's own rules over last year
 * at the root and describes an expression; against the embedded emulator it plants first:
 *
 *   npx tsx --conditions=source examples/validation.ts
 */
import { ExpressionSyntaxError, generateUid, openClient, ValidationInputError } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

type List<K extends string> = Record<K, { id: string; parent?: { id: string } }[]>;

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    if (!target.embedded) {
      const roots = await client.getRaw<List<"organisationUnits">>("/api/organisationUnits", {
        params: { filter: "level:eq:1", fields: "id" },
      });
      const year = new Date().getUTCFullYear() - 1;
      const root = roots.organisationUnits[0]?.id ?? "";
      const violations = await client.validation.run({
        orgUnit: root,
        startDate: `${year}-01-01`,
        endDate: `${year}-12-31`,
      });
      console.log(`${violations.length} violations in ${year} at ${root}`);
      return;
    }
    const byCode = async (code: string) =>
      (
        await client.getRaw<List<"dataElements">>("/api/dataElements", {
          params: { filter: `code:eq:${code}`, fields: "id" },
        })
      ).dataElements[0]?.id as string;
    const [anc1, anc2] = [await byCode("DE_ANC1"), await byCode("DE_ANC2")];
    const facility = (
      await client.getRaw<List<"organisationUnits">>("/api/organisationUnits", {
        params: { filter: "level:eq:4", fields: "id,parent[id]", pageSize: 1 },
      })
    ).organisationUnits[0];
    if (!facility?.parent) throw new Error("the demo seed has no facility");

    const rule = generateUid();
    const group = generateUid();
    await client.metadata.import({
      validationRules: [
        {
          id: rule,
          name: "ANC 2nd visits never exceed ANC 1st visits",
          importance: "HIGH",
          periodType: "Monthly",
          operator: "less_than_or_equal_to",
          leftSide: { expression: `#{${anc2}}`, missingValueStrategy: "SKIP_IF_ALL_VALUES_MISSING" },
          rightSide: { expression: `#{${anc1}}`, missingValueStrategy: "NEVER_SKIP" },
        },
      ],
      validationRuleGroups: [{ id: group, name: "ANC consistency", validationRules: [{ id: rule }] }],
    });
    await client.dataValues.import({
      dataValues: [
        { dataElement: anc1, period: "202401", orgUnit: facility.id, value: "12" },
        { dataElement: anc2, period: "202401", orgUnit: facility.id, value: "15" }, // the violation
        { dataElement: anc1, period: "202402", orgUnit: facility.id, value: "20" },
        { dataElement: anc2, period: "202402", orgUnit: facility.id, value: "9" },
      ],
    });
    console.log("planted a rule and two months of ANC data at one facility");

    const violations = await client.validation.run({
      orgUnit: facility.parent.id, // the district: every facility below it is validated too
      startDate: "2024-01-01",
      endDate: "2024-03-31",
      group,
      persist: true,
    });
    for (const v of violations) {
      console.log(
        `violation: ${v.periodName} at ${v.orgUnitName}: ${v.leftSideValue} ${v.operator} ${v.rightSideValue} (${v.importance})`,
      );
    }
    const stored = await client.getRaw<{ validationResults: unknown[] }>("/api/validationResults", {
      params: { vr: rule },
    });
    console.log(`stored validation results: ${stored.validationResults.length}`);

    const described = await client.validation.describeExpression(`#{${anc2}} - #{${anc1}}`);
    console.log(`described: ${described.description} (${described.message})`);
    const predictor = await client.validation.describeExpression(`avg(#{${anc1}})`, { context: "predictor" });
    console.log(`as a predictor generator: ${predictor.description}`);
    try {
      await client.validation.describeExpression(`#{${anc2}} - (#{${anc1}}`);
    } catch (e) {
      if (!(e instanceof ExpressionSyntaxError)) throw e;
      console.log(`refused before any request: ${e.message}\n${e.pointer()}`);
    }
    try {
      await client.validation.run({ orgUnit: facility.id, startDate: "2024-02-30", endDate: "2024-03-31" });
    } catch (e) {
      if (!(e instanceof ValidationInputError)) throw e;
      console.log(`refused before any request: ${e.message}`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
