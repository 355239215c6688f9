/**
 * `client.tasks` against the emulator, reached through `emu.fetch` (no port: nothing here is about
 * the wire): waiting on jobs, notification order and de-duplication across polls, timeouts,
 * aborts, job summaries. Sleep and clock are injected, so nothing waits for real.
 */
import { BasicAuth, Dhis2Client, Dhis2ClientError, WebMessageResponse } from "@dhis2w/client";
import { createEmulator, type Emulator, type EmulatorOptions, fixedClock } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { createMaintenance } from "../src/maintenance/index.js";
import { createTasks, parseTaskRef, type TasksHttp, TaskTimeoutError } from "../src/tasks/index.js";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

/** A virtual clock that only the injected sleep moves (plus a hook run on every sleep). */
function virtualTime(onSleep: (ms: number) => void = () => {}) {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      t += ms;
      onSleep(ms);
      await new Promise((r) => setImmediate(r));
    },
  };
}

async function setup(opts: EmulatorOptions = {}, onSleep?: (ms: number) => void) {
  const emu = await createEmulator({ version: "v42", seed: "demo", ...opts });
  running.push(emu);
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  const time = virtualTime(onSleep);
  const tasks = createTasks(client, { sleep: time.sleep, now: time.now });
  const store = emu.app.extensions.tasks;
  if (!store) throw new Error("no task store");
  return { emu, client, tasks, time, store, maintenance: createMaintenance(client, tasks) };
}

/** Counts the notifications each poll answered. */
function countingHttp(client: Dhis2Client, seen: number[]): TasksHttp {
  return {
    getRaw: async (path, options) => {
      const raw = await client.getRaw(path, options);
      const data = (raw as { data?: unknown }).data;
      if (Array.isArray(data)) seen.push(data.length);
      return raw;
    },
  };
}

describe("awaitCompletion", () => {
  it("waits for an analytics refresh and returns every notification in order, ending with the final one", async () => {
    const { emu, tasks, maintenance } = await setup();
    const kickoff = await maintenance.refreshAnalytics({ lastYears: 1 });
    const ref = kickoff.taskRef();
    expect(ref?.jobType).toBe("ANALYTICS_TABLE");
    const progress: string[] = [];
    const done = await tasks.awaitCompletion(ref!, {
      pollIntervalMs: 250,
      onNotification: (n) => progress.push(n.message),
    });
    expect(done.final.completed).toBe(true);
    expect(done.level).toBe("INFO");
    expect(done.message).toMatch(/^Analytics tables updated/);
    expect(done.notifications.at(-1)).toBe(done.final);
    expect(done.notifications.filter((n) => n.completed)).toHaveLength(1);
    expect(progress).toEqual(done.notifications.map((n) => n.message));
    // Exactly the server's list, reversed (the server answers newest first).
    const server = (await (
      await emu.fetch(`${emu.url}/api/system/tasks/ANALYTICS_TABLE/${ref!.id}`, {
        headers: { Authorization: `Basic ${btoa("admin:district")}` },
      })
    ).json()) as { uid: string }[];
    expect(done.notifications.map((n) => n.uid)).toEqual(server.map((n) => n.uid).reverse());
    expect(done.notifications[0]?.message).toMatch(/^Analytics table update process started/);
  });

  it('accepts the "JOB_TYPE/uid" string form', async () => {
    const { tasks, maintenance } = await setup();
    const ref = (await maintenance.refreshResourceTables()).taskRef()!;
    const done = await tasks.awaitCompletion(`${ref.jobType}/${ref.id}`);
    expect(done.message).toBe("Resource tables generated");
  });

  it("throws TaskTimeoutError with the notifications so far when the job does not finish", async () => {
    const { tasks, maintenance, store, time } = await setup();
    store.pacing = { stepsPerPoll: 0, stepMs: null }; // a stuck job
    const ref = (await maintenance.refreshMonitoring()).taskRef()!;
    const error = await tasks.awaitCompletion(ref, { timeoutMs: 5000, pollIntervalMs: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(error).toBeInstanceOf(Dhis2ClientError);
    expect(error.ref).toEqual(ref);
    expect(error.timeoutMs).toBe(5000);
    expect(error.notifications.map((n: { message: string }) => n.message)).toEqual([
      "Monitoring process started",
    ]);
    expect(error.message).toContain(`MONITORING/${ref.id}`);
    // The last wait is cut to what is left of the timeout.
    expect(time.sleeps).toEqual([2000, 2000, 1000]);
  });

  it("stops when the signal aborts, with the signal's reason", async () => {
    const { tasks, maintenance, store } = await setup();
    store.pacing = { stepsPerPoll: 0, stepMs: null };
    const ref = (await maintenance.refreshResourceTables()).taskRef()!;
    const controller = new AbortController();
    const waiting = tasks.awaitCompletion(ref, {
      timeoutMs: null,
      signal: controller.signal,
      onNotification: () => controller.abort(new Error("user pressed Ctrl-C")),
    });
    await expect(waiting).rejects.toThrow("user pressed Ctrl-C");
  });

  it("follows a job that the emulator clock moves", async () => {
    const clock = fixedClock(Date.parse("2025-01-01T00:00:00Z"));
    const { tasks, maintenance, store, time } = await setup({ clock }, (ms) => clock.advance(ms));
    store.pacing = { stepsPerPoll: 0, stepMs: 3000 };
    const ref = (await maintenance.refreshMonitoring()).taskRef()!;
    const done = await tasks.awaitCompletion(ref, { pollIntervalMs: 1000 });
    expect(done.notifications.map((n) => n.time)).toEqual([
      "2025-01-01T00:00:00.000",
      "2025-01-01T00:00:03.000",
      "2025-01-01T00:00:06.000",
      "2025-01-01T00:00:09.000",
    ]);
    expect(time.sleeps).toHaveLength(9);
  });
});

describe("iterNotifications", () => {
  it("quirk: yields each notification once although every poll repeats the older ones (newest first)", async () => {
    const { client, maintenance } = await setup();
    const perPoll: number[] = [];
    const time = virtualTime();
    const tasks = createTasks(countingHttp(client, perPoll), { sleep: time.sleep, now: time.now });
    const ref = (await maintenance.refreshAnalytics({ skipResourceTables: true })).taskRef()!;
    const seen: string[] = [];
    for await (const n of tasks.iterNotifications(ref, { pollIntervalMs: 10 })) seen.push(n.uid ?? "");
    // The emulator added one notification between polls: 2, 3, 4, ... each poll repeats the rest.
    expect(perPoll.length).toBeGreaterThan(3);
    expect(perPoll).toEqual(perPoll.map((_, i) => i + 2));
    expect(seen).toHaveLength(perPoll.at(-1)!);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("de-duplicates by time, level and message when the server sends no uid, and stops at completed", async () => {
    const answers = [
      [{ time: "t1", level: "INFO", message: "started", completed: false }],
      [
        { time: "t2", level: "INFO", message: "working", completed: false },
        { time: "t1", level: "INFO", message: "started", completed: false },
      ],
      [
        { time: "t3", level: "ERROR", message: "failed", completed: true },
        { time: "t2", level: "INFO", message: "working", completed: false },
        { time: "t1", level: "INFO", message: "started", completed: false },
      ],
    ];
    const paths: string[] = [];
    const http: TasksHttp = {
      getRaw: async (path) => {
        paths.push(path);
        return { data: answers[Math.min(paths.length - 1, answers.length - 1)] };
      },
    };
    const time = virtualTime();
    const tasks = createTasks(http, { sleep: time.sleep, now: time.now });
    const messages: string[] = [];
    for await (const n of tasks.iterNotifications({ jobType: "METADATA_IMPORT", id: "AbCdEfGhIj1" })) {
      messages.push(n.message);
    }
    expect(messages).toEqual(["started", "working", "failed"]);
    expect(paths).toEqual(Array(3).fill("/api/system/tasks/METADATA_IMPORT/AbCdEfGhIj1"));
    const done = await tasks.awaitCompletion("METADATA_IMPORT/AbCdEfGhIj1");
    expect(done).toMatchObject({ level: "ERROR", message: "failed" });
  });

  it("quirk: polls tracker jobs at /api/tracker/jobs/{id}", async () => {
    const paths: string[] = [];
    const http: TasksHttp = {
      getRaw: async (path) => {
        paths.push(path);
        return path.endsWith("/report")
          ? { status: "OK" }
          : { data: [{ uid: "n1", message: "done", completed: true }] };
      },
    };
    const tasks = createTasks(http);
    await tasks.awaitCompletion({ jobType: "TRACKER_IMPORT_JOB", id: "TrJob000001" });
    expect(await tasks.summary("TRACKER_IMPORT_JOB/TrJob000001")).toEqual({ status: "OK" });
    expect(paths).toEqual(["/api/tracker/jobs/TrJob000001", "/api/tracker/jobs/TrJob000001/report"]);
  });
});

describe("summary", () => {
  it("returns the import summary of an async data value import, and undefined before there is one", async () => {
    const { client, tasks, emu } = await setup();
    const demo = emu.demo!;
    const dataValues = demo.facilities.slice(0, 3).map((ou, i) => ({
      dataElement: demo.dataElements[0],
      period: "202401",
      orgUnit: ou,
      value: String(10 + i),
    }));
    const kickoff = WebMessageResponse.parse(
      await client.postRaw("/api/dataValueSets", { dataValues }, { params: { async: true } }),
    );
    const ref = kickoff.taskRef()!;
    expect(ref.jobType).toBe("DATAVALUE_IMPORT");
    await tasks.awaitCompletion(ref);
    const summary = await tasks.summary(ref);
    expect(WebMessageResponse.safeParse(summary)?.importCount()).toMatchObject({ imported: 3, ignored: 0 });
    expect(await tasks.summary({ jobType: "DATAVALUE_IMPORT", id: "NoSuchJob01" })).toBeUndefined();
  });
});

describe("task refs", () => {
  it("rejects malformed refs with a clear message, before any request", async () => {
    const http: TasksHttp = {
      getRaw: async () => {
        throw new Error("must not be called");
      },
    };
    const tasks = createTasks(http);
    await expect(tasks.awaitCompletion("ANALYTICS_TABLE")).rejects.toThrow(/expected "JOB_TYPE\/uid"/);
    await expect(tasks.awaitCompletion("analytics_table/Ab1cD2eF3gH")).rejects.toThrow(
      /not a DHIS2 job type/,
    );
    await expect(tasks.summary("ANALYTICS_TABLE/a/b")).rejects.toThrow(/malformed/);
    await expect(tasks.notifications({ jobType: "ANALYTICS_TABLE", id: "" })).rejects.toThrow(/not a job id/);
    await expect(tasks.awaitCompletion("ANALYTICS_TABLE/x", { pollIntervalMs: -1 })).rejects.toThrow(
      /pollIntervalMs/,
    );
    expect(parseTaskRef(" /DATA_INTEGRITY/Ab1cD2eF3gH/ ")).toEqual({
      jobType: "DATA_INTEGRITY",
      id: "Ab1cD2eF3gH",
    });
  });
});
