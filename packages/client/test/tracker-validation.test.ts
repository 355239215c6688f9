/**
 * The tracker exporters refuse parameters that name nothing (dhis2-core `OperationsParamsValidator`
 * and the events / enrollments / tracked entities `...OperationParamsMapper`s at 2.41.8.1,
 * 2.42.4.1, 2.43.0): 400 with DHIS2's exact message, which the client raises as a Dhis2ApiError.
 */
import { BasicAuth, Dhis2ApiError, Dhis2Client } from "@dhis2w/client";
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

const NOPE = "NoSuchUid01";

async function setup(version: "v41" | "v42" | "v43") {
  const emu = await createEmulator({ version, seed: "demo" });
  running.push(emu);
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  const { programs } = await client.getRaw<{ programs: { id: string; programStages: { id: string }[] }[] }>(
    "/api/programs",
    { params: { fields: "id,programStages[id]", filter: "programType:eq:WITH_REGISTRATION" } },
  );
  const program = programs[0]!;
  return { client, program: program.id, stage: program.programStages[0]!.id };
}

async function refusal(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Dhis2ApiError);
  const e = error as Dhis2ApiError;
  return { status: e.statusCode, message: e.webMessage?.message ?? e.serverMessage };
}

describe.each(["v41", "v42", "v43"] as const)("tracker export parameters on %s", (version) => {
  it("quirk: /api/tracker/events?program=<unknown> is a 400, not an empty page", async () => {
    const { client } = await setup(version);
    expect(await refusal(client.tracker.events.list({ program: NOPE }))).toEqual({
      status: 400,
      message: `Program is specified but does not exist: ${NOPE}`,
    });
  });

  it("refuses an unknown program stage, tracked entity and org unit on events", async () => {
    const { client, program } = await setup(version);
    const events = (params: Record<string, string>) =>
      refusal(client.getRaw("/api/tracker/events", { params: { program, ...params } }));
    expect((await events({ programStage: NOPE })).message).toBe(
      `Program stage is specified but does not exist: ${NOPE}`,
    );
    expect((await events({ trackedEntity: NOPE })).message).toBe(
      `Tracked entity is specified but does not exist: ${NOPE}`,
    );
    expect((await events({ orgUnit: NOPE })).message).toBe(
      version === "v41"
        ? `Org unit is specified but does not exist: ${NOPE}`
        : `Organisation unit is specified but does not exist: ${NOPE}`,
    );
  });

  it("refuses unknown programs, types and org units on enrollments and tracked entities", async () => {
    const { client, program } = await setup(version);
    const get = (path: string, params: Record<string, string>) => refusal(client.getRaw(path, { params }));
    expect((await get("/api/tracker/enrollments", { program: NOPE })).message).toBe(
      `Program is specified but does not exist: ${NOPE}`,
    );
    expect((await get("/api/tracker/enrollments", { program, orgUnits: NOPE })).message).toBe(
      `Organisation unit does not exist: ${NOPE}`,
    );
    expect((await get("/api/tracker/trackedEntities", { trackedEntityType: NOPE })).message).toBe(
      `Tracked entity type is specified but does not exist: ${NOPE}`,
    );
    expect((await get("/api/tracker/trackedEntities", { program, programStage: NOPE })).message).toBe(
      `Program does not contain the specified programStage: ${NOPE}`,
    );
    const unknownTe = client.getRaw("/api/tracker/enrollments", { params: { trackedEntity: NOPE } });
    if (version === "v43") await expect(unknownTe).resolves.toBeDefined();
    else
      expect((await refusal(unknownTe)).message).toBe(
        `Tracked entity is specified but does not exist: ${NOPE}`,
      );
  });

  it("still answers known parameters with a page", async () => {
    const { client, program, stage } = await setup(version);
    const page = await client.tracker.events.list({ program, programStage: stage });
    expect(Array.isArray(page)).toBe(true);
  });
});

describe("2.43 /api/tracker/events needs program", () => {
  it("answers the container's 400 without it (a required @RequestParam); 2.42 lists all events", async () => {
    const v43 = await setup("v43");
    const e = await refusal(v43.client.getRaw("/api/tracker/events"));
    expect(e.status).toBe(400);
    const v42 = await setup("v42");
    await expect(v42.client.getRaw("/api/tracker/events")).resolves.toHaveProperty("events");
  });
});
