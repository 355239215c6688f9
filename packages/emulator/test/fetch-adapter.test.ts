/**
 * `emu.fetch`: the emulator as the client's `fetch`, with no port. It must look like the runtime's
 * fetch wherever the client looks: manual redirects give the 3xx, drops are network errors,
 * signals abort, other hosts are unknown.
 */
import { BasicAuth, Dhis2Client, Dhis2NetworkError } from "@dhis2w/client";
import { createEmulator, IN_PROCESS_URL } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { ADMIN, useEmulator } from "./emulator-helpers.js";

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error & { cause?: { code?: string } },
  );

describe("emu.fetch", () => {
  const start = useEmulator();

  it("lives at http://emulator.invalid unless told otherwise, and answers only that origin", async () => {
    const emu = await start({ seed: "empty" });
    expect(emu.url).toBe(IN_PROCESS_URL);
    expect((await emu.fetch(`${emu.url}/api/system/ping`)).status).toBe(200);
    const err = await rejection(emu.fetch("http://127.0.0.1:9/api/system/ping"));
    expect(err).toBeInstanceOf(TypeError);
    expect(err?.cause?.code).toBe("ENOTFOUND");
    await using other = await createEmulator({ seed: "empty", url: "https://dhis2.example.org/" });
    expect(other.url).toBe("https://dhis2.example.org");
    const info = await other.fetch(`${other.url}/api/system/info`, { headers: { Authorization: ADMIN } });
    expect(((await info.json()) as { contextPath: string }).contextPath).toBe("https://dhis2.example.org");
  });

  it("gives the 3xx itself under redirect: manual, follows same-origin redirects by default, rejects under error", async () => {
    const emu = await start({ seed: "empty" });
    const manual = await emu.fetch(`${emu.url}/`, { redirect: "manual" });
    expect(manual.status).toBe(302);
    expect(manual.headers.get("location")).toBe(`${emu.url}/dhis-web-login/`);
    const followed = await emu.fetch(`${emu.url}/`);
    expect(followed.status).toBe(200);
    expect(followed.redirected).toBe(true);
    expect(followed.url).toBe(`${emu.url}/dhis-web-login/`);
    expect(await rejection(emu.fetch(`${emu.url}/`, { redirect: "error" }))).toBeInstanceOf(TypeError);
  });

  it("turns a POST into a body-less GET on a followed 301, as the runtime's fetch does", async () => {
    const emu = await start({ seed: "empty" });
    const followed = await emu.fetch(`${emu.url}/oauth2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(followed.ok).toBe(false);
    expect(emu.stats.requests("/oauth2/token/").map((r) => r.method)).toEqual(["GET"]);
  });

  it("rejects with the signal's reason while waiting, and breaks a body being read", async () => {
    const emu = await start({ seed: "demo" });
    emu.faults.add({ path: "/api/me", delayMs: 600_000 });
    const waiting = new AbortController();
    const pending = emu.fetch(`${emu.url}/api/me`, {
      headers: { Authorization: ADMIN },
      signal: waiting.signal,
    });
    waiting.abort(new Error("gave up waiting"));
    expect((await rejection(pending))?.message).toBe("gave up waiting");

    const reading = new AbortController();
    const res = await emu.fetch(
      `${emu.url}/api/analytics/rawData.csv?dimension=dx:${emu.demo!.dataElements[0]}&dimension=pe:2024&dimension=ou:${emu.demo!.root}`,
      {
        headers: { Authorization: ADMIN },
        signal: reading.signal,
      },
    );
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    reading.abort(new Error("gave up reading"));
    expect((await rejection(reader.read()))?.message).toBe("gave up reading");
  });

  it("drops straight into Dhis2Client: connect, read, and a reset reaches the client's network-error path", async () => {
    const emu = await start({ version: "v43", seed: "demo" });
    const client = await Dhis2Client.open({
      baseUrl: emu.url,
      fetch: emu.fetch,
      auth: new BasicAuth({ username: "admin", password: "district" }),
    });
    expect(client.versionKey).toBe("v43");
    expect((await client.system.me()).username).toBe("admin");
    emu.faults.add({ path: "/api/me", drop: true });
    const err = await rejection(client.system.me());
    expect(err).toBeInstanceOf(Dhis2NetworkError);
    expect(err?.message).toMatch(/ECONNRESET/);
    await client.close();
  });
});
