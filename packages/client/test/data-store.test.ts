/**
 * `client.dataStore` and `client.userDataStore` against the emulator over real HTTP, on each
 * supported version, and the input DHIS2 would refuse, refused before any request.
 */
import { BasicAuth, DataStoreInputError, Dhis2ApiError, Dhis2Client } from "@dhis2w/client";
import { createEmulator, type Emulator } from "@dhis2w/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

describe.each(["v41", "v42", "v43"] as const)("data store on %s", (version) => {
  let emu: Emulator;
  let admin: Dhis2Client;
  let district: Dhis2Client;

  beforeAll(async () => {
    emu = await createEmulator({ version, seed: "empty" });
    admin = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    district = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "district", password: "district" }),
    });
  });
  afterAll(async () => {
    await admin?.close();
    await district?.close();
    await emu?.close();
  });

  it("set creates, then replaces; get returns the value, undefined when missing", async () => {
    expect(await admin.dataStore.set("app", "config", { theme: "dark", sizes: [1, 2] })).toEqual({
      created: true,
    });
    expect(await admin.dataStore.set("app", "config", { theme: "light" })).toEqual({ created: false });
    expect(await admin.dataStore.get("app", "config")).toEqual({ theme: "light" });
    expect(await admin.dataStore.get("app", "missing")).toBeUndefined();
    expect(await admin.dataStore.get("no-such-namespace", "k")).toBeUndefined();
    // Any JSON type, at the top level too.
    await admin.dataStore.set("app", "count", 42);
    await admin.dataStore.set("app", "title", "Sierra Leone");
    await admin.dataStore.set("app", "off", false);
    await admin.dataStore.set("app", "nothing", null);
    expect(await admin.dataStore.get("app", "count")).toBe(42);
    expect(await admin.dataStore.get("app", "title")).toBe("Sierra Leone");
    expect(await admin.dataStore.get("app", "off")).toBe(false);
    expect(await admin.dataStore.get("app", "nothing")).toBeNull();
  });

  it("get with a Standard Schema types the value and refuses one that does not match", async () => {
    await admin.dataStore.set("typed", "cfg", { pageSize: 20 });
    const cfg = await admin.dataStore.get("typed", "cfg", { schema: z.object({ pageSize: z.number() }) });
    expect(cfg?.pageSize).toBe(20);
    const err = await admin.dataStore
      .get("typed", "cfg", { schema: z.object({ pageSize: z.string() }) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataStoreInputError);
    expect((err as Error).message).toMatch(
      /dataStore\.get\("typed", "cfg"\): the value does not match the schema: pageSize/,
    );
  });

  it("getText gives DHIS2's bytes (jsonb text), get the parsed value", async () => {
    await admin.dataStore.set("bytes", "v", { zeta: 1, a: [true, null] });
    expect(await admin.dataStore.getText("bytes", "v")).toBe('{"a": [true, null], "zeta": 1}');
    expect(await admin.dataStore.getText("bytes", "nope")).toBeUndefined();
  });

  it("namespaces and keys list what exists; keys of a missing namespace is []", async () => {
    await admin.dataStore.set("list-me", "a", 1);
    await admin.dataStore.set("list-me", "b", 2);
    expect(await admin.dataStore.namespaces()).toContain("list-me");
    expect(await admin.dataStore.keys("list-me")).toEqual(["a", "b"]);
    expect(await admin.dataStore.keys("never-made")).toEqual([]);
  });

  it("delete and deleteNamespace say whether there was something to delete", async () => {
    await admin.dataStore.set("del", "a", 1);
    await admin.dataStore.set("del", "b", 2);
    expect(await admin.dataStore.delete("del", "a")).toBe(true);
    expect(await admin.dataStore.delete("del", "a")).toBe(false);
    expect(await admin.dataStore.deleteNamespace("del")).toBe(true);
    expect(await admin.dataStore.deleteNamespace("del")).toBe(false);
    expect(await admin.dataStore.keys("del")).toEqual([]);
  });

  it("metaData: the entry's UID and who created it; the user store has none (refused before any request)", async () => {
    await admin.dataStore.set("meta", "k", { x: 1 });
    const meta = await admin.dataStore.metaData("meta", "k");
    expect(meta).toMatchObject({ namespace: "meta", key: "k", createdBy: { username: "admin" } });
    expect(meta?.id).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/);
    expect(await admin.dataStore.metaData("meta", "gone")).toBeUndefined();
    const before = emu.stats.total;
    await expect(admin.userDataStore.metaData("meta", "k")).rejects.toThrow(
      /user data store has no \/metaData/,
    );
    expect(emu.stats.total).toBe(before);
  });

  it("query iterates every page of { key, ...fields } with filters and order", async () => {
    const ages: Record<string, number> = { cat: 9, cow: 5, hamster: 2, pig: 6, dog: 11 };
    for (const [k, age] of Object.entries(ages))
      await admin.dataStore.set("pets", k, { name: k.toUpperCase(), age });
    emu.stats.reset();
    const all: { key: string; age?: unknown }[] = [];
    for await (const e of admin.dataStore.query("pets", { fields: "age", pageSize: 2 })) all.push(e);
    expect(all.map((e) => e.key)).toEqual(["cat", "cow", "dog", "hamster", "pig"]);
    expect(emu.stats.count("/api/dataStore/pets", "GET")).toBe(3); // 2 + 2 + 1
    const old: string[] = [];
    for await (const e of admin.dataStore.query<{ name: string }>("pets", {
      fields: ["name", "age"],
      filter: ["age:gt:5"],
      order: "age:ndesc",
    })) {
      old.push(`${e.key}:${e.name}`);
    }
    expect(old).toEqual(["dog:DOG", "cat:CAT", "pig:PIG"]);
    const none: unknown[] = [];
    for await (const e of admin.dataStore.query("nothing-here")) none.push(e);
    expect(none).toEqual([]);
  });

  it("a protected namespace is DHIS2's 403, thrown as Dhis2ApiError", async () => {
    const err = await district.dataStore.set("capture", "x", 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Dhis2ApiError);
    expect((err as Dhis2ApiError).statusCode).toBe(403);
    expect((err as Dhis2ApiError).serverMessage).toBe("Namespace 'capture' is protected, access denied");
  });

  it("userDataStore keeps each user's values apart; forUser reaches another user's as a superuser", async () => {
    await admin.userDataStore.set("prefs", "theme", "dark");
    await district.userDataStore.set("prefs", "theme", "light");
    expect(await admin.userDataStore.get("prefs", "theme")).toBe("dark");
    expect(await district.userDataStore.get("prefs", "theme")).toBe("light");
    expect(await admin.userDataStore.forUser("district").get("prefs", "theme")).toBe("light");
    expect(await admin.userDataStore.forUser("district").keys("prefs")).toEqual(["theme"]);
    const refused = await district.userDataStore
      .forUser("admin")
      .get("prefs", "theme")
      .catch((e: unknown) => e);
    expect((refused as Dhis2ApiError).statusCode).toBe(409);
    expect(await admin.dataStore.keys("prefs")).toEqual([]);
    const entries: unknown[] = [];
    for await (const e of district.userDataStore.query("prefs", { fields: "." })) entries.push(e);
    expect(entries).toEqual([{ key: "theme", value: "light" }]);
    expect(await district.userDataStore.deleteNamespace("prefs")).toBe(true);
    expect(await admin.userDataStore.get("prefs", "theme")).toBe("dark");
  });

  it("refuses names and values DHIS2 would refuse, saying what and where, before any request", async () => {
    const before = emu.stats.total;
    const refuse = async (work: Promise<unknown>, field: string, message: RegExp) => {
      const err = await work.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataStoreInputError);
      expect((err as DataStoreInputError).field).toBe(field);
      expect((err as Error).message).toMatch(message);
    };
    const ds = admin.dataStore;
    await refuse(ds.set("app", "a/b", 1), "key", /key "a\/b" contains "\/" at position 1/);
    await refuse(ds.set("", "k", 1), "namespace", /namespace "" is empty/);
    await refuse(ds.set("app", "x".repeat(256), 1), "key", /256 characters long; DHIS2 stores at most 255/);
    await refuse(ds.set("app", "a;b", 1), "key", /contains ";"/);
    await refuse(ds.set("app", "100%", 1), "key", /contains "%"/);
    await refuse(ds.set("app", "line\nbreak", 1), "key", /contains U\+000A/);
    await refuse(ds.set("app", "settings.json", 1), "key", /ends in "\.json"/);
    await refuse(ds.set("app", "keys", 1), "key", /cannot read back a key named "keys"/);
    await refuse(ds.get("app", "keys"), "key", /cannot read a key named "keys"/);
    await refuse(ds.set("app", 'say "hi"', 1), "key", /double quote/);
    await refuse(ds.set("app", "k", undefined), "value", /the value is undefined, which is not JSON/);
    await refuse(
      ds.set("app", "k", { a: { b: () => 1 } }),
      "value",
      /the value at value\.a\.b is a function/,
    );
    await refuse(ds.set("app", "k", { n: 10n }), "value", /at value\.n is a BigInt/);
    await refuse(ds.set("app", "k", { rows: [1, Number.NaN] }), "value", /at value\.rows\[1\] is NaN/);
    await refuse(ds.set("app", "k", { when: new Date(0) }), "value", /at value\.when is a Date/);
    await refuse(ds.set("app", "k", { m: new Map() }), "value", /at value\.m is a Map/);
    await refuse(ds.set("app", "k", { gone: undefined }), "value", /at value\.gone is undefined/);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    await refuse(ds.set("app", "k", cycle), "value", /at value\.self refers back to itself/);
    await refuse(
      lazy(() => ds.query("app", { filter: "age:between:1" })),
      "filter",
      /unknown operator "between"/,
    );
    await refuse(
      lazy(() => ds.query("app", { filter: "age:gt" })),
      "filter",
      /"gt" needs a value/,
    );
    await refuse(
      lazy(() => ds.query("app", { filter: "_:null" })),
      "filter",
      /cannot take a unary operator/,
    );
    await refuse(
      lazy(() => ds.query("app", { filter: "name:eq:a,b" })),
      "filter",
      /comma outside/,
    );
    await refuse(
      lazy(() => ds.query("app", { order: "age:sideways" })),
      "order",
      /path\[:asc\|desc\|nasc\|ndesc\]/,
    );
    await refuse(
      lazy(() => ds.query("app", { pageSize: 5000 })),
      "pageSize",
      /1 to 1000/,
    );
    expect(emu.stats.total).toBe(before);
  });

  it("a dot in a name: refused on 2.41 (taken for a format extension), kept on 2.42+", async () => {
    const work = admin.dataStore.set("app", "v1.2", "x");
    if (version === "v41") {
      await expect(work).rejects.toThrow(
        /contains a dot, which DHIS2 2\.41 takes for the start of a format extension/,
      );
    } else {
      await work;
      expect(await admin.dataStore.get("app", "v1.2")).toBe("x");
    }
  });
});

/** The query's checks run when `query()` is called, before the first page is asked for. */
async function lazy(make: () => AsyncIterable<unknown>): Promise<unknown[]> {
  return collect(make());
}

async function collect(it: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of it) out.push(x);
  return out;
}
