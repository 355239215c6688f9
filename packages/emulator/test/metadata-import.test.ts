import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { api, startMetadataEmulator, useMetadataEmulator } from "./metadata-helpers.js";

const fixture = useMetadataEmulator("v42");
const { http } = fixture;

const ERR = "One or more errors occurred, please see full details in import report.";

const optionSet = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  valueType: "TEXT",
  ...extra,
});

describe("POST /api/metadata", () => {
  it("creates objects that reference each other in any order, then updates them", async () => {
    const bundle = {
      // The option set comes after the options that point at it.
      options: [
        { id: "EmuOpt00001", name: "Yes", code: "EMU_YES", optionSet: { id: "EmuOptSet01" }, sortOrder: 1 },
        { id: "EmuOpt00002", name: "No", code: "EMU_NO", optionSet: { id: "EmuOptSet01" }, sortOrder: 2 },
      ],
      optionSets: [
        optionSet("EmuOptSet01", "Emu yes/no", { options: [{ id: "EmuOpt00001" }, { id: "EmuOpt00002" }] }),
      ],
    };
    const r = await http.post("/metadata", bundle);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      httpStatusCode: 200,
      status: "OK",
      response: {
        responseType: "ImportReport",
        status: "OK",
        stats: { created: 3, updated: 0, deleted: 0, ignored: 0, total: 3 },
      },
    });
    const klasses = r.json.response.typeReports.map((t: { klass: string }) => t.klass).sort();
    expect(klasses).toEqual(["org.hisp.dhis.option.Option", "org.hisp.dhis.option.OptionSet"]);
    const os = await http.get("/optionSets/EmuOptSet01?fields=name,options[code]");
    expect(os.json).toEqual({ name: "Emu yes/no", options: [{ code: "EMU_YES" }, { code: "EMU_NO" }] });

    const again = await http.post("/metadata", { optionSets: [optionSet("EmuOptSet01", "Emu renamed")] });
    expect(again.json.response.stats).toMatchObject({ created: 0, updated: 1, total: 1 });
    expect((await http.get("/optionSets/EmuOptSet01?fields=name")).json.name).toBe("Emu renamed");
  });

  it("importStrategy=CREATE refuses existing objects (E5000), UPDATE refuses new ones (E5001)", async () => {
    await http.post("/metadata", { optionSets: [optionSet("EmuOptSet02", "Emu two")] });
    const create = await http.post("/metadata?importStrategy=CREATE", {
      optionSets: [optionSet("EmuOptSet02", "Emu two")],
    });
    expect(create.status).toBe(409);
    expect(create.json).toMatchObject({ status: "WARNING", message: ERR, response: { status: "ERROR" } });
    const e = create.json.response.typeReports[0].objectReports[0].errorReports[0];
    expect(e.errorCode).toBe("E5000");
    expect(e.message).toBe(
      "Found matching object for reference, but import strategy is CREATE. Identifier was UID, and object was Emu two [EmuOptSet02] (OptionSet).",
    );
    const update = await http.post("/metadata?importStrategy=UPDATE", {
      optionSets: [optionSet("EmuOptSet99", "Nope")],
    });
    expect(update.status).toBe(409);
    expect(update.json.response.typeReports[0].objectReports[0].errorReports[0].errorCode).toBe("E5001");
    expect((await http.get("/optionSets/EmuOptSet99")).status).toBe(404);
  });

  it("mergeMode=MERGE keeps what the update leaves out; REPLACE (default) drops it", async () => {
    await http.post("/metadata", {
      optionSets: [optionSet("EmuOptSet07", "Emu seven", { code: "EMU_SEVEN" })],
    });
    await http.post("/metadata?mergeMode=MERGE", { optionSets: [{ id: "EmuOptSet07", name: "Emu 7" }] });
    expect((await http.get("/optionSets/EmuOptSet07?fields=name,code")).json).toEqual({
      name: "Emu 7",
      code: "EMU_SEVEN",
    });
    await http.post("/metadata", { optionSets: [optionSet("EmuOptSet07", "Emu 7 again")] });
    expect((await http.get("/optionSets/EmuOptSet07?fields=name,code")).json).toEqual({
      name: "Emu 7 again",
    });
  });

  it("importStrategy=DELETE removes objects", async () => {
    await http.post("/metadata", { optionSets: [optionSet("EmuOptSet03", "Emu three")] });
    const r = await http.post("/metadata?importStrategy=DELETE", { optionSets: [{ id: "EmuOptSet03" }] });
    expect(r.status).toBe(200);
    expect(r.json.response.stats).toMatchObject({ deleted: 1, total: 1 });
    expect((await http.get("/optionSets/EmuOptSet03")).status).toBe(404);
  });

  it("atomicMode=ALL writes nothing when one object fails; NONE writes the valid ones", async () => {
    const bundle = {
      optionSets: [optionSet("EmuOptSet04", "Emu four"), { id: "EmuOptSet05", valueType: "TEXT" }],
    };
    const all = await http.post("/metadata", bundle);
    expect(all.status).toBe(409);
    expect(all.json.response).toMatchObject({ status: "ERROR", stats: { created: 0, ignored: 2, total: 2 } });
    const report = all.json.response.typeReports[0].objectReports;
    expect(report).toHaveLength(1);
    expect(report[0]).toMatchObject({ index: 1, uid: "EmuOptSet05", errorReports: [{ errorCode: "E4000" }] });
    expect((await http.get("/optionSets/EmuOptSet04")).status).toBe(404);

    const none = await http.post("/metadata?atomicMode=NONE", bundle);
    expect(none.status).toBe(409);
    expect(none.json.response).toMatchObject({
      status: "WARNING",
      stats: { created: 1, ignored: 1, total: 2 },
    });
    expect((await http.get("/optionSets/EmuOptSet04")).status).toBe(200);
    expect((await http.get("/optionSets/EmuOptSet05")).status).toBe(404);
  });

  it("importMode=VALIDATE (and dryRun=true) report without writing", async () => {
    for (const q of ["importMode=VALIDATE", "dryRun=true"]) {
      const r = await http.post(`/metadata?${q}`, { optionSets: [optionSet("EmuOptSet06", "Emu six")] });
      expect(r.status).toBe(200);
      expect(r.json.response.stats).toMatchObject({ created: 1, total: 1 });
      expect((await http.get("/optionSets/EmuOptSet06")).status).toBe(404);
    }
  });

  it("reports references that are neither stored nor in the bundle (E5002)", async () => {
    const r = await http.post("/metadata", {
      options: [{ id: "EmuOpt00009", name: "Orphan", code: "EMU_ORPHAN", optionSet: { id: "NoSuchSet01" } }],
    });
    expect(r.status).toBe(409);
    expect(r.json.response.typeReports[0].objectReports[0].errorReports[0]).toMatchObject({
      errorCode: "E5002",
      message:
        "Invalid reference [NoSuchSet01] (OptionSet) on object Orphan [EmuOpt00009] (Option) for association `optionSet`",
    });
  });
});

describe("GET /api/metadata", () => {
  it("exports the asked types with :owner fields and a system block", async () => {
    const r = await http.get("/metadata?dataElements=true&dataSets=true");
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(["dataElements", "dataSets", "system"]);
    expect(r.json.system).toMatchObject({ version: "2.42.4.1" });
    const total = (await http.get("/dataElements?pageSize=1")).json.pager.total;
    expect(r.json.dataElements).toHaveLength(total);
    expect(r.json.dataElements[0].displayName).toBeUndefined();
    expect(r.json.dataElements[0].categoryCombo).toEqual({ id: "bjDvmb4bfuf" });
  });

  it("quirk: takes per-type fields and filters, ignores rootJunction=OR and can drop defaults", async () => {
    const r = await http.get(
      "/metadata?dataElements=true&dataElements:fields=code&dataElements:filter=code:eq:DE_ANC1&dataElements:filter=code:eq:DE_BCG&rootJunction=OR",
    );
    expect(r.json.dataElements).toEqual([]);
    const one = await http.get(
      "/metadata?dataElements=true&dataElements:fields=code&dataElements:filter=code:eq:DE_ANC1",
    );
    expect(one.json.dataElements).toEqual([{ code: "DE_ANC1" }]);
    const cc = await http.get("/metadata?categoryCombos=true&defaults=EXCLUDE&fields=id");
    expect(cc.json.categoryCombos.map((c: { id: string }) => c.id)).not.toContain("bjDvmb4bfuf");
  });
});

describe("/api/schemas", () => {
  it("lists and describes schemas (from codegen's derived snapshot)", async () => {
    const all = await http.get("/schemas");
    expect(all.status).toBe(200);
    const names = all.json.schemas.map((s: { name: string }) => s.name);
    expect(names).toContain("dataElement");
    const one = await http.get("/schemas/dataElement");
    expect(one.json).toMatchObject({
      name: "dataElement",
      plural: "dataElements",
      klass: "org.hisp.dhis.dataelement.DataElement",
      apiEndpoint: "/api/dataElements",
      metadata: true,
    });
    const name = one.json.properties.find((p: { name: string }) => p.name === "name");
    expect(name).toMatchObject({ propertyType: "TEXT", required: true, owner: true, max: 230 });
    expect((await http.get("/schemas/noSuchThing")).status).toBe(404);
  });
});

// The real play exports live outside the repo; skip when ../shared is not there (CI without it).
const PLAY = path.resolve(import.meta.dirname, "../../../../shared/dhis2/play");
const hasPlay = existsSync(path.join(PLAY, "metadata.json"));

describe.skipIf(!hasPlay)("importing the real play exports", () => {
  const read = (f: string) => JSON.parse(readFileSync(path.join(PLAY, f), "utf8"));
  const count = (bundle: Record<string, unknown>) =>
    Object.values(bundle).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);

  it.each([
    ["v42", "metadata.json"],
    ["v43", "metadata-v43.json"],
  ] as const)("%s: %s + all organisation units import without errors", async (version, file) => {
    const e = await startMetadataEmulator(version, "empty");
    try {
      const h = api(e);
      const ous = { organisationUnits: read("organisation_units.json") };
      const r1 = await h.post("/metadata", ous);
      expect(r1.status).toBe(200);
      expect(r1.json.response.stats.created).toBe(ous.organisationUnits.length);
      const meta = read(file);
      const r2 = await h.post("/metadata", meta);
      const errors = r2.json.response.typeReports.flatMap(
        (t: { objectReports: { errorReports: unknown[] }[] }) =>
          t.objectReports.flatMap((o) => o.errorReports),
      );
      expect(errors).toEqual([]);
      expect(r2.status).toBe(200);
      const s = r2.json.response.stats;
      expect(s.created + s.updated).toBe(count(meta));
      expect(s.ignored).toBe(0);
      // Read back: counts per type and the hierarchy.
      for (const [plural, items] of Object.entries(meta)) {
        if (!Array.isArray(items)) continue;
        const back = await h.get(`/${plural}?fields=id&paging=false`);
        if (back.status !== 200) continue; // a type served by another module
        const ids = new Set(back.json[plural].map((o: { id: string }) => o.id));
        for (const it of items as { id: string }[]) expect(ids.has(it.id), `${plural} ${it.id}`).toBe(true);
      }
      const l4 = await h.get("/organisationUnits?filter=level:eq:4&pageSize=1");
      expect(l4.json.pager.total).toBe(
        ous.organisationUnits.filter((o: { level: number }) => o.level === 4).length,
      );
      const children = await h.get("/organisationUnits/ImspTQPwCqd?fields=children");
      expect(children.json.children.length).toBeGreaterThan(0);
    } finally {
      await e.close();
    }
  });
});
