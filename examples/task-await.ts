/**
 * Task polling (the tutorial's "Task polling" section): start a background job, pull its
 * `{ jobType, id }` with `WebMessageResponse.taskRef()`, then wait with `awaitCompletion` (one
 * list of de-duplicated notifications, oldest first, ending with the `completed: true` one), or
 * render progress yourself with `iterNotifications`.
 * Runs against DHIS2_URL (+ DHIS2_PAT or DHIS2_USERNAME/DHIS2_PASSWORD) when set, else against an
 * embedded emulator with demo data.
 *
 *   npx tsx --conditions=source examples/task-await.ts
 */
import { openClient, TaskTimeoutError, WebMessageResponse } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const { tasks } = client;
    // The emulator moves a job one step per poll; a real server needs a calmer pace.
    const pollIntervalMs = target.embedded ? 20 : 1000;

    // 1. Kick off an analytics refresh and wait for it.
    const raw = await client.postRaw("/api/resourceTables/analytics", undefined, {
      params: { lastYears: 1 },
    });
    const envelope = WebMessageResponse.parse(raw);
    const ref = envelope.taskRef();
    if (!ref) throw new Error("response had no jobType/id; nothing to watch");
    console.log(`started ${ref.jobType}/${ref.id}`);
    try {
      const completion = await tasks.awaitCompletion(ref, { timeoutMs: 300_000, pollIntervalMs });
      console.log(`${completion.level}  ${completion.message}`);
      console.log(
        `  ${completion.notifications.length} notifications, final completed=${completion.final.completed}`,
      );
    } catch (error) {
      if (!(error instanceof TaskTimeoutError)) throw error;
      console.log(`task didn't finish in time: ${error.message}`);
      return;
    }

    // 2. The raw stream, for custom rendering; a "JOB_TYPE/uid" string works as well as { jobType, id }.
    const resources = WebMessageResponse.parse(await client.postRaw("/api/resourceTables")).taskRef();
    if (!resources) throw new Error("resource table job gave no task ref");
    for await (const n of tasks.iterNotifications(`${resources.jobType}/${resources.id}`, {
      pollIntervalMs,
    })) {
      const level = (n.level ?? "INFO").toUpperCase();
      console.log(`  ${level.padEnd(5)} ${n.completed ? "[x]" : "[ ]"} ${n.message}`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
