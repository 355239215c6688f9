/**
 * Job configurations and the scheduler through the client against the emulator (`emu.fetch`):
 * DHIS2's system jobs (`JobType.Defaults`), derived members, write checks
 * (`JobConfigurationObjectBundleHook`) and `/api/scheduler` (`JobSchedulerController`), on every
 * version.
 */
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { createEmulator, type Emulator, fixedClock } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

type Json = Record<string, unknown>;
const NOW = Date.parse("2025-06-01T03:00:00Z");

async function setup(version: "v41" | "v42" | "v43") {
  const emu = await createEmulator({ version, seed: "empty", clock: fixedClock(NOW) });
  running.push(emu);
  const client = await Dhis2Client.open({
    baseUrl: emu.url,
    fetch: emu.fetch,
    auth: new BasicAuth({ username: "admin", password: "district" }),
  });
  return { emu, client };
}

describe.each(["v41", "v42", "v43"] as const)("job configurations on %s", (version) => {
  it("holds DHIS2's system jobs with derived status and next execution", async () => {
    const { client } = await setup(version);
    const job = await client.resources.jobConfigurations!.get("D2datatrim8", { fields: "*" });
    expect(job).toMatchObject({
      id: "D2datatrim8",
      name: "Data value trim",
      jobType: "DATA_VALUE_TRIM",
      cronExpression: "0 0 1 ? * *",
      schedulingType: "CRON",
      jobStatus: "SCHEDULED",
      configurable: false,
      enabled: true,
      // never ran: the first cron time after now - 4 h, here two hours ago
      nextExecutionTime: "2025-06-01T01:00:00.000",
      maxDelayedExecutionTime: "2025-06-01T05:00:00.000",
    });
    const housekeeping = await client.resources.jobConfigurations!.get("DHIS2rocks1", { fields: "*" });
    expect(housekeeping).toMatchObject({
      delay: 20,
      schedulingType: "FIXED_DELAY",
      nextExecutionTime: "2025-06-01T03:00:00.000",
    });
    expect(housekeeping).not.toHaveProperty("maxDelayedExecutionTime");
  });

  it("creates a user-defined job and refuses what the bundle hook refuses", async () => {
    const { client } = await setup(version);
    const jobs = client.resources.jobConfigurations!;
    const id = await jobs.create({
      name: "Nightly analytics",
      jobType: "ANALYTICS_TABLE",
      cronExpression: "0 30 23 * * MON-FRI",
      jobParameters: { lastYears: 2 },
    } as never);
    expect(await jobs.get(id, { fields: "jobStatus,schedulingType,configurable,nextExecutionTime" })).toEqual(
      {
        jobStatus: "SCHEDULED",
        schedulingType: "CRON",
        configurable: true,
        nextExecutionTime: "2025-06-02T23:30:00.000", // 1 June 2025 is a Sunday
      },
    );
    const refused = async (body: Json) => {
      const e = (await jobs.create(body as never).catch((x: unknown) => x)) as { body?: Json };
      const response = e.body?.response as { errorReports: { errorCode: string; message: string }[] };
      const report = response.errorReports;
      return report.map((r) => `${r.errorCode} ${r.message}`);
    };
    expect(await refused({ name: "x", jobType: "ANALYTICS_TABLE", cronExpression: "every night" })).toEqual([
      "E7005 Cron expression is invalid: `{0}`",
    ]);
    expect(await refused({ name: "y", jobType: "ANALYTICS_TABLE", schedulingType: "FIXED_DELAY" })).toEqual([
      expect.stringMatching(
        /^E7007 Delay must be not null for job with scheduling type FIXED_DELAY: `\w{11}`$/,
      ),
    ]);
    expect(
      await refused({ name: "z", jobType: "ANALYTICS_TABLE", cronExpression: "0 30 23 * * MON-FRI" }),
    ).toEqual(["E7000 Job of same type already scheduled with cron expression: `0 30 23 * * MON-FRI`"]);
    // A system job may change its schedule, nothing else.
    await jobs.update({
      id: "D2datatrim8",
      name: "Data value trim",
      jobType: "DATA_VALUE_TRIM",
      cronExpression: "0 0 5 ? * *",
    } as never);
    const disabling = await jobs
      .update({
        id: "D2datatrim8",
        name: "Data value trim",
        jobType: "DATA_VALUE_TRIM",
        cronExpression: "0 0 5 ? * *",
        enabled: false,
      } as never)
      .catch((x: { body?: Json }) => x.body);
    expect(JSON.stringify(disabling)).toContain("E7003");
  });

  it("lists the scheduler by next execution (past-due first), or by name", async () => {
    const { client } = await setup(version);
    const entries = await client.getRaw<{ data: Json[] }>("/api/scheduler");
    const list = entries.data;
    expect(list.map((e) => e.name)).toContain("Housekeeping");
    expect(list[0]).toMatchObject({
      name: "Data value trim",
      type: "DATA_VALUE_TRIM",
      secondsToNextExecutionTime: -7200,
      secondsToMaxDelayedExecutionTime: 7200,
      status: "SCHEDULED",
      enabled: true,
      configurable: false,
      sequence: [
        { id: "D2datatrim8", name: "Data value trim", type: "DATA_VALUE_TRIM", status: "SCHEDULED" },
      ],
    });
    const times = list.map((e) => Date.parse(`${e.nextExecutionTime}Z`));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const byName = (await client.getRaw<{ data: Json[] }>("/api/scheduler", { params: { order: "name" } }))
      .data;
    expect(byName.map((e) => e.name)).toEqual(
      [...byName.map((e) => String(e.name))].sort((a, b) => a.localeCompare(b)),
    );
  });
});

describe.each(["v41", "v42", "v43"] as const)("/api/2fa/enabled on %s", (version) => {
  it("answers a bare boolean, which the client wraps as { data }", async () => {
    const { client } = await setup(version);
    expect(await client.getRaw("/api/2fa/enabled")).toEqual({ data: false });
  });
});
