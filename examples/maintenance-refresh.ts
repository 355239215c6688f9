/**
 * Refreshing analytics and resource tables (the tutorial's "Analytics queries" refresh part):
 * `refreshAnalytics({ lastYears })`, `refreshResourceTables()` and `refreshMonitoring()` answer the
 * job kick-off envelope; `taskRef()` feeds `tasks.awaitCompletion` (or `maintenance.awaitJob`).
 * Runs against DHIS2_URL (+ DHIS2_PAT or DHIS2_USERNAME/DHIS2_PASSWORD) when set, else against an
 * embedded emulator with demo data.
 *
 *   npx tsx --conditions=source examples/maintenance-refresh.ts
 */
import { openClient } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const { tasks, maintenance } = client;
    const pollIntervalMs = target.embedded ? 20 : 2000;

    const envelope = await maintenance.refreshAnalytics({ lastYears: 1 });
    const ref = envelope.taskRef();
    if (!ref) throw new Error(`no job reference in the answer: ${envelope.message}`);
    const completion = await tasks.awaitCompletion(ref, { timeoutMs: 300_000, pollIntervalMs });
    console.log(`analytics: ${completion.message} (${completion.notifications.length} notifications)`);

    for (const [label, start] of [
      ["resource tables", () => maintenance.refreshResourceTables()],
      ["monitoring", () => maintenance.refreshMonitoring()],
    ] as const) {
      const done = await maintenance.awaitJob(await start(), {
        pollIntervalMs,
        onNotification: (n) => console.log(`  ${label}: ${n.message}`),
      });
      console.log(`${label}: ${done.level} ${done.message}`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
