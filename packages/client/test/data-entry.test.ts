/**
 * `/api/dataEntry/dataValues` (dhis2-core `DataSetValueController#getDataValueSet`, 2.41-2.43)
 * through the client against the emulator (`emu.fetch`).
 */
import { BasicAuth, type Dhis2ApiError, Dhis2Client } from "@dhis2w/client";
import { createEmulator, DEFAULTS, type Emulator } from "@dhis2w/emulator";
import { afterEach, describe, expect, it } from "vitest";

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

describe.each(["v41", "v42", "v43"] as const)("/api/dataEntry/dataValues on %s", (version) => {
  it("answers the form's values with the attribute, lock and completion status", async () => {
    const emu = await createEmulator({ version, seed: "demo" });
    running.push(emu);
    const demo = emu.app.demo!;
    const client = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    const { dataSetElements } = await client.getRaw<{ dataSetElements: { dataElement: { id: string } }[] }>(
      `/api/dataSets/${demo.dataSet}`,
      { params: { fields: "dataSetElements[dataElement]" } },
    );
    const [inSet, other] = [
      dataSetElements[0]!.dataElement.id,
      demo.dataElements.find((d) => !dataSetElements.some((e) => e.dataElement.id === d)),
    ];
    const ou = demo.facilities[0]!;
    const values = [
      { dataElement: inSet, period: "202401", orgUnit: ou, value: "7", comment: "checked" },
      { dataElement: inSet, period: "202402", orgUnit: ou, value: "8" },
      ...(other ? [{ dataElement: other, period: "202401", orgUnit: ou, value: "9" }] : []),
    ];
    await client.postRaw("/api/dataValueSets", { dataValues: values });
    const body = await client.getRaw<Record<string, unknown>>("/api/dataEntry/dataValues", {
      params: { ds: demo.dataSet, pe: "202401", ou },
    });
    expect(Object.keys(body)).toEqual(["dataValues", "minMaxValues", "lockStatus", "completeStatus"]);
    expect(body.dataValues).toEqual([
      {
        dataElement: inSet,
        period: "202401",
        orgUnit: ou,
        categoryOptionCombo: DEFAULTS.categoryOptionCombo,
        attribute: { combo: DEFAULTS.categoryCombo, options: [DEFAULTS.categoryOption] },
        value: "7",
        comment: "checked",
        followUp: false,
        storedBy: "admin",
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/),
        lastUpdated: expect.any(String),
      },
    ]);
    expect(body).toMatchObject({ minMaxValues: [], lockStatus: "OPEN", completeStatus: { complete: false } });

    const code = (params: Record<string, string>) =>
      client.getRaw("/api/dataEntry/dataValues", { params }).then(
        () => "answered",
        (e: Dhis2ApiError) => `${e.statusCode} ${e.webMessage?.errorCode} ${e.webMessage?.message}`,
      );
    expect(await code({ ds: "NoSuchUid01", pe: "202401", ou })).toBe(
      "409 E1105 Data set not found or not accessible: `NoSuchUid01`",
    );
    expect(await code({ ds: demo.dataSet, pe: "2024W99", ou })).toBe(
      "409 E1101 Period is invalid: `2024W99`",
    );
    expect(await code({ ds: demo.dataSet, pe: "202401", ou: "NoSuchUid01" })).toBe(
      "409 E1102 Organisation unit not found or not accessible: `NoSuchUid01`",
    );
  });
});
