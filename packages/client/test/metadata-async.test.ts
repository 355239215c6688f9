/**
 * `metadata.import(bundle, { async: true })` against the emulator (through `emu.fetch`): the
 * `METADATA_IMPORT` kick-off, its notifications through `client.tasks`, the ImportReport from
 * `/api/system/taskSummaries/METADATA_IMPORT/{id}`; and the kick-off envelope each version sends
 * (dhis2-core `JobConfigurationWebMessageResponse`, `WebMessageResponse.getResponseType`).
 */
import { BasicAuth, Dhis2Client, type TaskNotification, WebMessageResponse } from "@dhis2w/client";
import { createEmulator, type Emulator, type EmulatorOptions } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function setup(opts: EmulatorOptions) {
  const emu = await createEmulator({ seed: "demo", ...opts });
  running.push(emu);
  const sleeps: number[] = [];
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { emu, client, sleeps };
}

const bundle = (name: string) => ({
  optionSets: [
    { id: "AsyncOpSet1", name, valueType: "TEXT" as const, version: 1, options: [{ id: "AsyncOptn01" }] },
  ],
  options: [{ id: "AsyncOptn01", name: `${name} one`, code: `${name}_1`, optionSet: { id: "AsyncOpSet1" } }],
});

describe.each(["v41", "v42", "v43"] as const)("metadata.import({ async: true }) on %s", (version) => {
  it("follows the METADATA_IMPORT job and returns its ImportReport", async () => {
    const { emu, client, sleeps } = await setup({ version });
    const seen: TaskNotification[] = [];
    const report = await client.metadata.import(bundle("Async set"), {
      async: true,
      pollIntervalMs: 250,
      onNotification: (n) => seen.push(n),
    });
    expect(report.status).toBe("OK");
    expect(report.stats).toMatchObject({ created: 2, updated: 0, total: 2 });
    // The job was polled (one step per poll), not answered by the POST.
    expect(emu.stats.count("/api/metadata", "POST")).toBe(1);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps.every((ms) => ms === 250)).toBe(true);
    expect(seen.map((n) => n.message)).toEqual([
      "Metadata import started",
      "Loading file resource",
      "Loading file content",
      "Importing metadata",
      "Import complete with status OK, 2 created, 0 updated, 0 deleted, 0 ignored",
    ]);
    expect(seen.at(-1)?.completed).toBe(true);
    const stored = await client.getRaw("/api/optionSets/AsyncOpSet1", { params: { fields: "name" } });
    expect(stored).toEqual({ name: "Async set" });
  });

  it("returns a failed import's report, with the job ended at level ERROR", async () => {
    const { client } = await setup({ version });
    const seen: TaskNotification[] = [];
    const report = await client.metadata.import(
      { dataElements: [{ id: "AsyncBadDE1", name: "No short name or value type" }] },
      { async: true, onNotification: (n) => seen.push(n) },
    );
    expect(report.status).toBe("ERROR");
    expect(report.errors().length).toBeGreaterThan(0);
    expect(seen.at(-1)).toMatchObject({ completed: true, level: "ERROR" });
    expect(seen.at(-1)?.message).toMatch(/^Import complete with status ERROR, 0 created/);
  });

  it("leaves the synchronous path as it was (the report in the POST's answer)", async () => {
    const { emu, client } = await setup({ version });
    const report = await client.metadata.import(bundle("Sync set"));
    expect(report.stats.created).toBe(2);
    expect(emu.stats.count("/api/system/tasks/METADATA_IMPORT/*")).toBe(0);
  });
});

describe("job kick-off envelopes per version", () => {
  const kickoff = async (opts: EmulatorOptions) => {
    const { client } = await setup(opts);
    return (await client.postRaw("/api/metadata", bundle("Kick"), { params: { async: "true" } })) as {
      message: string;
      response: Record<string, unknown>;
    };
  };

  it("quirk: 2.41 sends no responseType, but jobStatus and jobParameters", async () => {
    const raw = await kickoff({ version: "v41" });
    expect(raw.response.responseType).toBeUndefined();
    expect(raw.response).toMatchObject({ jobType: "METADATA_IMPORT", jobStatus: "NOT_STARTED" });
    expect(raw.response.jobParameters).toMatchObject({ importStrategy: "CREATE_AND_UPDATE", async: true });
    expect(raw.response.name).toMatch(/^METADATA_IMPORT \(\d+\)$/);
    expect(raw.message).toBe(`Initiated ${raw.response.name}`);
    expect(WebMessageResponse.parse(raw).taskRef()).toEqual({
      jobType: "METADATA_IMPORT",
      id: raw.response.id,
    });
  });

  it.each([
    ["v42", "2.42.4.1 (default)", "JobConfigurationWebMessageResponse"],
    ["v42", "2.42.5", "JobConfiguration"],
    ["v43", "2.43.0 (default)", "JobConfigurationWebMessageResponse"],
    ["v43", "2.43.1", "JobConfiguration"],
  ] as const)("quirk: %s (%s) sends responseType %s", async (version, versionString, expected) => {
    const raw = await kickoff({ version, ...(versionString.endsWith("(default)") ? {} : { versionString }) });
    expect(raw.response.responseType).toBe(expected);
    expect(WebMessageResponse.parse(raw).taskRef()).toEqual({
      jobType: "METADATA_IMPORT",
      id: raw.response.id,
    });
  });
});
