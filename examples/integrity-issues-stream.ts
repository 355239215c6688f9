/**
 * Streaming data-integrity issues (the tutorial's section of that name): run the details checks,
 * wait for the job, then `iterIntegrityIssues()` yields one row per issue, tagged with its check's
 * name, display name and severity. `getIntegrityReport({ details: false })` is the cheaper summary.
 * Runs against DHIS2_URL (+ DHIS2_PAT or DHIS2_USERNAME/DHIS2_PASSWORD) when set, else against an
 * embedded emulator with demo data.
 *
 *   npx tsx --conditions=source examples/integrity-issues-stream.ts
 */
import { openClient } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const { maintenance } = client;
    const pollIntervalMs = target.embedded ? 20 : 2000;

    // The details cache is filled only by a details run (a summary run does not fill it).
    const kickoff = await maintenance.runIntegrityChecks({ details: true });
    await maintenance.awaitJob(kickoff, { timeoutMs: 600_000, pollIntervalMs });

    const perCheck = new Map<string, number>();
    let shown = 0;
    for await (const row of maintenance.iterIntegrityIssues()) {
      perCheck.set(row.checkName, (perCheck.get(row.checkName) ?? 0) + 1);
      if ((row.severity ?? "").toUpperCase() === "WARNING" && shown++ < 10) {
        console.log(`${row.checkName.padEnd(40)}  ${row.issue.id ?? "-"}  ${row.issue.name}`);
      }
    }
    for (const [check, count] of perCheck) console.log(`${check}: ${count} issue(s)`);

    const summary = await maintenance.getIntegrityReport({ details: false });
    console.log(`summary cache holds ${Object.keys(summary).length} check(s) (none until a summary run)`);
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
