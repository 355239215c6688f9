/**
 * `/api/dataStore` and `/api/userDataStore` with dhis2-core's semantics (DatastoreController,
 * UserDatastoreController, DefaultDatastoreService; the same on 2.41, 2.42 and 2.43).
 */
import type { RunningEmulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { basic, call, useEmulator } from "./emulator-helpers.js";

const JSON_HEADERS = { "Content-Type": "application/json" };
const DISTRICT = basic("district", "district");

function post(emu: RunningEmulator, path: string, body: string, auth?: string) {
  return call(emu, path, {
    method: "POST",
    body,
    headers: { ...JSON_HEADERS, ...(auth ? { Authorization: auth } : {}) },
  });
}
function put(emu: RunningEmulator, path: string, body: string, auth?: string) {
  return call(emu, path, {
    method: "PUT",
    body,
    headers: { ...JSON_HEADERS, ...(auth ? { Authorization: auth } : {}) },
  });
}

describe.each(["v41", "v42", "v43"] as const)("data store on %s", (version) => {
  const start = useEmulator();

  it("POST creates (201), a second POST is 409 E1004, PUT replaces (200) or creates (201), DELETE removes", async () => {
    const emu = await start({ version, seed: "empty" });
    const created = await post(emu, "/api/dataStore/pets/cat", '{"name":"Miao","age":9}');
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      httpStatus: "Created",
      status: "OK",
      message: "Key created: 'cat'",
    });

    const again = await post(emu, "/api/dataStore/pets/cat", "{}");
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      errorCode: "E1004",
      message: "Key 'cat' already exists in namespace 'pets'",
    });

    const replaced = await put(emu, "/api/dataStore/pets/cat", "[1,2,3]");
    expect(replaced.status).toBe(200);
    expect((await replaced.json()).message).toBe("Key updated: 'cat'");
    expect(await (await call(emu, "/api/dataStore/pets/cat")).text()).toBe("[1, 2, 3]");

    const upsert = await put(emu, "/api/dataStore/pets/dog", "true");
    expect(upsert.status).toBe(201);

    const gone = await call(emu, "/api/dataStore/pets/cat", { method: "DELETE" });
    expect(gone.status).toBe(200);
    expect((await gone.json()).message).toBe("Key 'cat' deleted from namespace 'pets'");
    const missing = await call(emu, "/api/dataStore/pets/cat");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      errorCode: "E1005",
      message: "Key 'cat' not found in namespace 'pets'",
    });
  });

  it("answers values as PostgreSQL's jsonb text: keys re-ordered, spaces after colons and commas", async () => {
    const emu = await start({ version, seed: "empty" });
    await post(emu, "/api/dataStore/cfg/a", '{"zeta":1,"a":{"yy":[true,null],"b":"x"},"a":2}');
    const res = await call(emu, "/api/dataStore/cfg/a");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.text()).toBe('{"a": 2, "zeta": 1}');
    await put(emu, "/api/dataStore/cfg/a", '"just text"');
    expect(await (await call(emu, "/api/dataStore/cfg/a")).text()).toBe('"just text"');
  });

  it("lists namespaces and keys; a namespace without keys is 404; DELETE of a namespace", async () => {
    const emu = await start({ version, seed: "empty" });
    await post(emu, "/api/dataStore/b-ns/k1", "1");
    await post(emu, "/api/dataStore/b-ns/k2", "2");
    await post(emu, "/api/dataStore/a-ns/k", "3");
    expect(await (await call(emu, "/api/dataStore")).json()).toEqual(["a-ns", "b-ns"]);
    expect(await (await call(emu, "/api/dataStore/b-ns")).json()).toEqual(["k1", "k2"]);
    expect(await (await call(emu, "/api/dataStore/b-ns/keys")).json()).toEqual(["k1", "k2"]);
    const none = await call(emu, "/api/dataStore/nope");
    expect(none.status).toBe(404);
    expect((await none.json()).message).toBe("Namespace not found: 'nope'");

    const del = await call(emu, "/api/dataStore/b-ns", { method: "DELETE" });
    expect((await del.json()).message).toBe("Namespace deleted: 'b-ns'");
    expect(await (await call(emu, "/api/dataStore")).json()).toEqual(["a-ns"]);
    expect((await call(emu, "/api/dataStore/b-ns", { method: "DELETE" })).status).toBe(404);
  });

  it("refuses a body that is not JSON (400 E1003) and a body that is not sent as JSON (415)", async () => {
    const emu = await start({ version, seed: "empty" });
    const bad = await post(emu, "/api/dataStore/ns/k", "{not json");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errorCode: "E1003", message: "Invalid JSON value for key 'k'" });
    const text = await call(emu, "/api/dataStore/ns/k", {
      method: "POST",
      body: "1",
      headers: { "Content-Type": "text/plain" },
    });
    expect(text.status).toBe(415);
  });

  it("metaData: the entry without its value, with who created it", async () => {
    const emu = await start({ version, seed: "empty" });
    await post(emu, "/api/dataStore/pets/cat", "{}");
    const meta = await (await call(emu, "/api/dataStore/pets/cat/metaData")).json();
    expect(meta).toMatchObject({ namespace: "pets", key: "cat", createdBy: { username: "admin" } });
    expect(meta.id).toMatch(/^[A-Za-z][A-Za-z0-9]{10}$/);
    expect(meta).not.toHaveProperty("value");
    expect(meta.access).toMatchObject({ read: true, write: true, manage: true });
    expect((await call(emu, "/api/dataStore/pets/nope/metaData")).status).toBe(404);
  });

  it("protected namespaces: writes to a RESTRICTED one are 403 for a user without the authority", async () => {
    const emu = await start({ version, seed: "empty" });
    const denied = await post(emu, "/api/dataStore/capture/settings", "{}", DISTRICT);
    expect(denied.status).toBe(403);
    expect((await denied.json()).message).toBe("Namespace 'capture' is protected, access denied");
    // Superusers always pass; reads of `capture` are open to everyone.
    expect((await post(emu, "/api/dataStore/capture/settings", '{"x":1}')).status).toBe(201);
    expect(
      await (
        await call(emu, "/api/dataStore/capture/settings", { headers: { Authorization: DISTRICT } })
      ).text(),
    ).toBe('{"x": 1}');
  });

  it("a HIDDEN namespace looks absent to a user without the authority and ignores their writes", async () => {
    const emu = await start({ version, seed: "empty" });
    await post(emu, "/api/dataStore/METADATASTORE/v1", '"secret"');
    expect(await (await call(emu, "/api/dataStore")).json()).toContain("METADATASTORE");
    const list = await call(emu, "/api/dataStore", { headers: { Authorization: DISTRICT } });
    expect(await list.json()).not.toContain("METADATASTORE");
    const read = await call(emu, "/api/dataStore/METADATASTORE/v1", { headers: { Authorization: DISTRICT } });
    expect(read.status).toBe(404);
    const write = await put(emu, "/api/dataStore/METADATASTORE/v1", '"changed"', DISTRICT);
    expect(write.status).toBe(201); // answered as done ...
    expect(await (await call(emu, "/api/dataStore/METADATASTORE/v1")).text()).toBe('"secret"'); // ... but skipped
  });

  it("refuses request paths the server's firewall refuses (encoded slash, semicolon, backslash)", async () => {
    const emu = await start({ version, seed: "empty" });
    for (const path of ["/api/dataStore/ns/a%2Fb", "/api/dataStore/ns/a;b", "/api/dataStore/ns/a%5Cb"]) {
      expect((await post(emu, path, "1")).status, path).toBe(400);
    }
  });
});

describe("protections that exist from 2.42 on", () => {
  const start = useEmulator();
  it("sms-config is RESTRICTED for reads on v42 and v43, an ordinary namespace on v41", async () => {
    for (const version of ["v41", "v42", "v43"] as const) {
      const emu = await start({ version, seed: "empty" });
      await post(emu, "/api/dataStore/sms-config/x", "1");
      const read = await call(emu, "/api/dataStore/sms-config/x", { headers: { Authorization: DISTRICT } });
      expect(read.status, version).toBe(version === "v41" ? 200 : 403);
    }
  });
});

describe.each(["v41", "v42", "v43"] as const)("user data store on %s", (version) => {
  const start = useEmulator();

  it("keeps one store per user; superusers reach another user's with ?username=, others get 409", async () => {
    const emu = await start({ version, seed: "empty" });
    const mine = await post(emu, "/api/userDataStore/prefs/theme", '"dark"');
    expect(mine.status).toBe(201);
    expect((await mine.json()).message).toBe("Key 'theme' in namespace 'prefs' created.");
    expect((await post(emu, "/api/userDataStore/prefs/theme", '"light"', DISTRICT)).status).toBe(201);

    expect(await (await call(emu, "/api/userDataStore/prefs/theme")).text()).toBe('"dark"');
    const theirs = await call(emu, "/api/userDataStore/prefs/theme", {
      headers: { Authorization: DISTRICT },
    });
    expect(await theirs.text()).toBe('"light"');
    expect(await (await call(emu, "/api/userDataStore/prefs/theme?username=district")).text()).toBe(
      '"light"',
    );

    const refused = await call(emu, "/api/userDataStore/prefs/theme?username=admin", {
      headers: { Authorization: DISTRICT },
    });
    expect(refused.status).toBe(409);
    expect((await refused.json()).message).toBe(
      "Only superusers can read or write other users data using the `username` parameter.",
    );
    expect((await call(emu, "/api/userDataStore?username=nobody")).status).toBe(409);

    await call(emu, "/api/userDataStore/prefs", { method: "DELETE" });
    expect((await call(emu, "/api/userDataStore/prefs/theme")).status).toBe(404);
    expect(
      (await call(emu, "/api/userDataStore/prefs/theme", { headers: { Authorization: DISTRICT } })).status,
    ).toBe(200);
    // The user store and the shared store are separate.
    expect((await call(emu, "/api/dataStore/prefs")).status).toBe(404);
  });

  it("has no /metaData (DHIS2's user data store controller maps none)", async () => {
    const emu = await start({ version, seed: "empty" });
    await post(emu, "/api/userDataStore/prefs/theme", '"dark"');
    expect((await call(emu, "/api/userDataStore/prefs/theme/metaData")).status).toBe(404);
  });

  it("answers the query API over the user's own entries only", async () => {
    const emu = await start({ version, seed: "empty" });
    await post(emu, "/api/userDataStore/n/a", '{"v":1}');
    await post(emu, "/api/userDataStore/n/b", '{"v":2}', DISTRICT);
    const res = await call(emu, "/api/userDataStore/n?fields=v");
    expect(await res.json()).toEqual({ pager: { page: 1, pageSize: 50 }, entries: [{ key: "a", v: 1 }] });
  });
});

describe("data store query API (?fields=, filter, order, paging)", () => {
  const start = useEmulator();

  async function pets(): Promise<RunningEmulator> {
    const emu = await start({ seed: "empty" });
    const values: Record<string, unknown> = {
      dog: false,
      bat: true,
      pidgin: 42,
      crow: "42",
      horse: "Fury",
      snake: null,
      cat: { name: "Miao", age: 9, cute: false, eats: [{ name: "tuna" }, { name: "mice" }] },
      cow: { name: "Muuhh", age: 5, cute: false, eats: [{ name: "gras" }] },
      hamster: { name: "Speedy", age: 2, cute: true, eats: [{ name: "veggies" }] },
      pig: { name: "Oink", age: 6, cute: false, eats: [{ name: "carrots" }, { name: "potatoes" }] },
    };
    for (const [k, v] of Object.entries(values))
      await post(emu, `/api/dataStore/pets/${k}`, JSON.stringify(v));
    return emu;
  }
  const q = async (emu: RunningEmulator, query: string) => {
    const res = await call(emu, `/api/dataStore/pets?${query}`);
    return { status: res.status, body: await res.json() };
  };

  it("wraps entries in { pager, entries } and pages them; headless gives the bare array", async () => {
    const emu = await pets();
    const first = await q(emu, "fields=&pageSize=4");
    expect(first.body).toEqual({
      pager: { page: 1, pageSize: 4 },
      entries: [{ key: "bat" }, { key: "cat" }, { key: "cow" }, { key: "crow" }],
    });
    const third = await q(emu, "fields=&pageSize=4&page=3");
    expect(third.body.entries).toEqual([{ key: "pig" }, { key: "snake" }]);
    const bare = await q(emu, "fields=name&headless=true&paging=false");
    expect(bare.body).toEqual([
      { key: "cat", name: "Miao" },
      { key: "cow", name: "Muuhh" },
      { key: "hamster", name: "Speedy" },
      { key: "pig", name: "Oink" },
    ]);
  });

  it("extracts fields: the root value, nested members, aliases; includeAll keeps entries without them", async () => {
    const emu = await pets();
    expect((await q(emu, "fields=.&headless=true&filter=_:eq:snake")).body).toEqual([
      { key: "snake", value: null },
    ]);
    expect(
      (await q(emu, "fields=name,eats[0[name~hoist(food)]]&headless=true&filter=_:eq:cat")).body,
    ).toEqual([{ key: "cat", name: "Miao", food: "tuna" }]);
    expect((await q(emu, "fields=eats.0~hoist(food)&headless=true&filter=_:eq:cow")).body).toEqual([
      { key: "cow", food: { name: "gras" } },
    ]);
    expect((await q(emu, "fields=name&includeAll=true&headless=true&filter=_:in:[cat,dog]")).body).toEqual([
      { key: "cat", name: "Miao" },
      { key: "dog", name: null },
    ]);
  });

  it("filters by key and by value with DHIS2's operators, ANDed or ORed", async () => {
    const emu = await pets();
    const keys = async (query: string) =>
      ((await q(emu, `fields=&headless=true&${query}`)).body as { key: string }[]).map((e) => e.key);
    expect(await keys("filter=_:like:pi")).toEqual(["pidgin", "pig"]);
    expect(await keys("filter=_:like$:ig")).toEqual(["pig"]);
    expect(await keys("filter=_:ieq:CAT")).toEqual(["cat"]);
    expect(await keys("filter=_:gt:cat&filter=_:lt:hamster")).toEqual(["cow", "crow", "dog"]);
    expect(await keys("filter=_:eq:cat&filter=_:eq:dog&rootJunction=OR")).toEqual(["cat", "dog"]);
    expect(await keys("filter=age:gt:5")).toEqual(["cat", "pig"]);
    expect(await keys("filter=cute:eq:true")).toEqual(["hamster"]);
    expect(await keys("filter=name:ilike:m")).toEqual(["cat", "cow"]);
    // A number in the filter matches JSON numbers; quoted, it matches the text.
    expect(await keys("filter=.:eq:42")).toEqual(["pidgin"]);
    expect(await keys("filter=.:eq:'42'")).toEqual(["crow"]);
    expect(await keys("filter=.:null")).toEqual(["snake"]);
    expect(await keys("filter=eats:!empty&filter=age:lt:6")).toEqual(["cow", "hamster"]);
  });

  it("orders by the key, a path, numerically; numeric order on text is the database's 400", async () => {
    const emu = await pets();
    const keys = async (query: string) =>
      ((await q(emu, `fields=age&headless=true&${query}`)).body as { key: string }[]).map((e) => e.key);
    expect(await keys("order=_:desc")).toEqual(["pig", "hamster", "cow", "cat"]);
    expect(await keys("order=age:nasc")).toEqual(["hamster", "cow", "pig", "cat"]);
    expect(await keys("order=age:ndesc")).toEqual(["cat", "pig", "cow", "hamster"]);
    const bad = await q(emu, "fields=name&order=name:nasc");
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^Unknown error when running the query: /);
  });

  it("refuses malformed queries as DHIS2 does (409 E7650-E7653, 400 for an unknown direction)", async () => {
    const emu = await pets();
    const fields = await q(emu, "fields=illegal'&headless=true");
    expect(fields.status).toBe(409);
    expect(fields.body).toMatchObject({
      errorCode: "E7651",
      message: "Illegal fields expression, expected `,`, `[` or `]` at position 7 but found `'`",
    });
    const unary = await q(emu, "fields=&filter=_:null");
    expect(unary.body).toMatchObject({
      errorCode: "E7653",
      message: "Illegal filter `_:null`: key filters cannot be used with unary operators",
    });
    const needsValue = await q(emu, "fields=&filter=age:gt");
    expect(needsValue.body.message).toBe("Illegal filter `age:gt`: the operator `gt` requires a value");
    expect((await q(emu, "fields=&filter=a b:eq:1")).body.errorCode).toBe("E7650");
    expect((await q(emu, "fields=&order=age:sideways")).status).toBe(400);
  });
});

describe("a dot in the last path segment", () => {
  const start = useEmulator();
  it("2.41 takes it for a format extension (406); 2.42+ keep it in the key; a registered one is stripped everywhere", async () => {
    for (const version of ["v41", "v42", "v43"] as const) {
      const emu = await start({ version, seed: "empty" });
      const dotted = await post(emu, "/api/dataStore/ns/a.b", "1");
      expect(dotted.status, version).toBe(version === "v41" ? 406 : 201);
      expect((await post(emu, "/api/dataStore/ns/config.json", "2")).status, version).toBe(201);
      expect(await (await call(emu, "/api/dataStore/ns/config")).text(), version).toBe("2");
    }
  });
});
