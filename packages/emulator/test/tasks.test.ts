/**
 * The emulator's job runner (`data/tasks.ts`) through HTTP: jobs progress one step per poll (or on
 * the emulator clock), notifications come newest first with a terminal `completed: true`, and
 * summaries appear when the job ends.
 */
import { type Emulator, fixedClock } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { call, useEmulator } from "./emulator-helpers.js";

const start = useEmulator();

interface Note {
  uid: string;
  level: string;
  category: string;
  time: string;
  message: string;
  completed: boolean;
}

async function poll(emu: Emulator, jobType: string, id: string): Promise<Note[]> {
  const res = await call(emu, `/api/system/tasks/${jobType}/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Note[];
}

function store(emu: Emulator) {
  const tasks = emu.app.extensions.tasks;
  if (!tasks) throw new Error("task store not installed");
  return tasks;
}

describe("job runner", () => {
  it("quirk: publishes one step per poll, newest first, then the summary and completed: true", async () => {
    const emu = await start({ seed: "empty" });
    const ran: string[] = [];
    const ref = store(emu).startJob(
      "TEST_JOB",
      [
        { message: "started" },
        { message: "half way", run: () => ran.push("half") },
        { message: "almost", run: () => ran.push("almost") },
      ],
      { doneMessage: "all done", summary: () => ({ answer: 42 }) },
    );
    expect(ran).toEqual([]);
    const summaryBefore = await call(emu, `/api/system/taskSummaries/TEST_JOB/${ref.id}`);
    expect(await summaryBefore.json()).toBeNull();

    const first = await poll(emu, "TEST_JOB", ref.id);
    expect(first.map((n) => n.message)).toEqual(["half way", "started"]);
    expect(ran).toEqual(["half"]);
    await poll(emu, "TEST_JOB", ref.id);
    const last = await poll(emu, "TEST_JOB", ref.id);
    expect(last.map((n) => n.message)).toEqual(["all done", "almost", "half way", "started"]);
    expect(last.map((n) => n.completed)).toEqual([true, false, false, false]);
    expect(last[0]).toMatchObject({ level: "INFO", category: "TEST_JOB" });
    expect(new Set(last.map((n) => n.uid)).size).toBe(4);
    // Further polls change nothing.
    expect(await poll(emu, "TEST_JOB", ref.id)).toEqual(last);

    const summary = await call(emu, `/api/system/taskSummaries/TEST_JOB/${ref.id}`);
    expect(await summary.json()).toEqual({ answer: 42 });
  });

  it("moves jobs on the emulator clock when pacing says so", async () => {
    const clock = fixedClock(Date.parse("2025-03-01T00:00:00Z"));
    const emu = await start({ seed: "empty", clock });
    store(emu).pacing = { stepsPerPoll: 0, stepMs: 1000 };
    const ref = store(emu).startJob("CLOCK_JOB", [{ message: "a" }, { message: "b" }, { message: "c" }]);
    expect(await poll(emu, "CLOCK_JOB", ref.id)).toHaveLength(1);
    clock.advance(999);
    expect(await poll(emu, "CLOCK_JOB", ref.id)).toHaveLength(1);
    clock.advance(1);
    const two = await poll(emu, "CLOCK_JOB", ref.id);
    expect(two.map((n) => n.message)).toEqual(["b", "a"]);
    expect(two[0]?.time).toBe("2025-03-01T00:00:01.000");
    clock.advance(5000);
    const done = await poll(emu, "CLOCK_JOB", ref.id);
    expect(done[0]).toMatchObject({ completed: true, message: "CLOCK_JOB completed" });
    expect(done).toHaveLength(4);
  });

  it("fails a job whose step throws: ERROR, completed, no more steps", async () => {
    const emu = await start({ seed: "empty" });
    const ref = store(emu).startJob("BAD_JOB", [
      { message: "started" },
      {
        message: "never shown",
        run: () => {
          throw new Error("disk full");
        },
      },
      { message: "never reached" },
    ]);
    const list = await poll(emu, "BAD_JOB", ref.id);
    expect(list[0]).toMatchObject({ completed: true, level: "ERROR", message: "Process failed: disk full" });
    expect(list.map((n) => n.message)).not.toContain("never reached");
    expect(store(emu).isRunning("BAD_JOB", ref.id)).toBe(false);
  });

  it("settles pending jobs and lists every job by type", async () => {
    const emu = await start({ seed: "empty" });
    store(emu).pacing = { stepsPerPoll: 0, stepMs: null };
    const a = store(emu).startJob("TYPE_A", [{ message: "a1" }, { message: "a2" }]);
    const b = store(emu).startJob("TYPE_B", [{ message: "b1" }]);
    expect(await poll(emu, "TYPE_A", a.id)).toHaveLength(1);
    store(emu).settle("TYPE_A");
    expect(store(emu).isRunning("TYPE_A", a.id)).toBe(false);
    expect(store(emu).isRunning("TYPE_B", b.id)).toBe(true);
    const all = (await (await call(emu, "/api/system/tasks")).json()) as Record<
      string,
      Record<string, Note[]>
    >;
    expect(Object.keys(all).sort()).toEqual(["TYPE_A", "TYPE_B"]);
    expect(all.TYPE_A?.[a.id]?.[0]).toMatchObject({ completed: true });
    const byType = (await (await call(emu, "/api/system/tasks/TYPE_B")).json()) as Record<string, Note[]>;
    expect(Object.keys(byType)).toEqual([b.id]);
    // An unknown job answers an empty array, as DHIS2 does.
    expect(await poll(emu, "TYPE_B", "unknownJob1")).toEqual([]);
  });
});
