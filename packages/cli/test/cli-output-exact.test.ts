/**
 * What `d2w` prints of DHIS2's data is what DHIS2 sent, byte for byte, even when the data happens
 * to contain the profile's password (DHIS2's demo password `district` is also a common word in
 * its data). Secrets stay out of output by position (headers, URL user info, profile fields),
 * never by rewriting text. In-process through `run(argv, io)` against the emulator.
 */
import { BasicAuth, Dhis2Client } from "@dhis2w/client";
import { fixedClock, type RunningEmulator, startEmulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessCli } from "./support/in-process.js";

const PASSWORD = "district"; // the demo password of both admin and the `district` user
const NAME = "Cases per district";
let emu: RunningEmulator;
let uid: string;
const cli = new InProcessCli();

beforeAll(async () => {
  // A frozen clock: the export's `system.date` is then the same in both answers compared.
  emu = await startEmulator({
    version: "v42",
    seed: "demo",
    clock: fixedClock(Date.parse("2024-05-01T08:00:00Z")),
  });
  await using client = await Dhis2Client.open({
    baseUrl: emu.url,
    auth: new BasicAuth({ username: "admin", password: PASSWORD }),
  });
  uid = await client.resources.dataElements.create({
    name: NAME,
    shortName: NAME,
    code: `CASES_PER_${PASSWORD.toUpperCase()}`,
    valueType: "NUMBER",
    domainType: "AGGREGATE",
    aggregationType: "SUM",
  } as never);
  cli.env = { DHIS2_URL: emu.url, DHIS2_USERNAME: "admin", DHIS2_PASSWORD: PASSWORD };
});
afterAll(async () => {
  await emu?.close();
  cli.dispose();
});

/** What the server answers for `path`, parsed: the reference the CLI output must equal. */
async function server(path: string, user = "admin"): Promise<unknown> {
  const res = await fetch(`${emu.url}${path}`, {
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${PASSWORD}`).toString("base64")}` },
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe("The CLI, run over a server whose data contains the profile's password, prints that data intact", () => {
  it("metadata list: the table and --json carry the name as DHIS2 sent it", async () => {
    const filter = ["--filter", `name:eq:${NAME}`, "--fields", "id,name,code"];
    const table = await cli.run(["metadata", "list", "dataElements", ...filter]);
    expect(table.code, table.stderr).toBe(0);
    const row = table.stdout.split("\n").find((l) => l.startsWith(uid));
    expect(row).toBe(`${uid}  ${NAME}  CASES_PER_DISTRICT`);

    const json = await cli.run(["--json", "metadata", "list", "dataElements", ...filter]);
    expect(json.code, json.stderr).toBe(0);
    const fromServer = await server(
      `/api/dataElements?filter=${encodeURIComponent(`name:eq:${NAME}`)}&fields=id,name,code`,
    );
    expect(json.stdout).toBe(`${JSON.stringify(fromServer, null, 2)}\n`);
  });

  it("metadata get: the record and --json are byte-exact", async () => {
    const rec = await cli.run(["metadata", "get", "dataElements", uid, "--fields", "id,name,shortName"]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toBe(`id:        ${uid}\nname:      ${NAME}\nshortName: ${NAME}\n`);

    const json = await cli.run(["--json", "metadata", "get", "dataElements", uid]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toBe(`${JSON.stringify(await server(`/api/dataElements/${uid}`), null, 2)}\n`);
  });

  it("metadata export to stdout is the bundle DHIS2 sent", async () => {
    const r = await cli.run(["metadata", "export", "--types", "dataElements"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify(await server("/api/metadata?dataElements=true"), null, 2)}\n`);
    expect(r.stdout).toContain(`"name": "${NAME}"`);
  });

  it("system me shows the user whose name is the password", async () => {
    const env = { DHIS2_USERNAME: "district" };
    const rec = await cli.run(["system", "me"], env);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toMatch(/^username: +district$/m);
    expect(rec.stdout).toMatch(/^email: +district@dhis2.invalid$/m);

    const json = await cli.run(["--json", "system", "me"], env);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(await server("/api/me", "district"));
  });

  it("an error quoting the user's own input keeps it whole; the Basic credential is not in the trace", async () => {
    const r = await cli.run([
      "--verbose",
      "metadata",
      "list",
      "dataElements",
      "--filter",
      `name:eqq:${NAME}`,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`name:eqq:${NAME}`);
    expect(r.stderr).not.toContain(Buffer.from(`admin:${PASSWORD}`).toString("base64"));
  });
});

describe("secrets stay out of the CLI's output by position", () => {
  it("a profile URL carrying user info is refused without echoing it: debug trace, verify, errors", async () => {
    const secret = "S3cretInTheUrl";
    const url = emu.url.replace("http://", `http://admin:${secret}@`);
    const env = {
      DHIS2_URL: url,
      DHIS2_USERNAME: "",
      DHIS2_PASSWORD: "",
      DHIS2_PAT: "d2p_notUsedHere0123456789",
    };
    const runs = [
      await cli.run(["--verbose", "system", "info"], env),
      await cli.run(["profile", "verify"], env),
      await cli.run(["--json", "profile", "verify"], env),
    ];
    for (const r of runs) {
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(r.stdout + r.stderr).not.toContain("admin:");
      expect(r.stderr).toContain("DHIS2_PASSWORD");
    }
  });
});
