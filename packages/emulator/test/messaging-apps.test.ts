/**
 * `/api/messageConversations` (MessageConversationController) and `/api/apps` (AppController,
 * JCloudsAppStorageService, ZipFileUtils) with dhis2-core's semantics on 2.41-2.43.
 */
import type { Emulator } from "@dhis2w/emulator";
import { describe, expect, it } from "vitest";
import { zip } from "../src/analytics/zip.js";
import { basic, call, useEmulator } from "./emulator-helpers.js";

const DISTRICT_ID = "DXyJmlo9rge";
const DISTRICT = basic("district", "district");
const send = (emu: Emulator, body: unknown, auth?: string) =>
  call(emu, "/api/messageConversations", {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", ...(auth ? { Authorization: auth } : {}) },
  });

function installZip(emu: Emulator, bytes: Uint8Array, name = "app.zip") {
  const form = new FormData();
  form.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/zip" }), name);
  return call(emu, "/api/apps", { method: "POST", body: form });
}

describe.each(["v41", "v42", "v43"] as const)("messaging on %s", (version) => {
  const start = useEmulator();

  it("send, list, reply (text/plain), read/unread, remove the user, delete", async () => {
    const emu = await start({ version, seed: "demo" });
    const res = await send(emu, { subject: "Stock-out", text: "Out of BCG", users: [{ id: DISTRICT_ID }] });
    expect(res.status).toBe(201);
    const id = res.headers.get("location")!.split("/").pop()!;
    const listed = (await (
      await call(emu, "/api/messageConversations?fields=id,subject,read", {
        headers: { Authorization: DISTRICT },
      })
    ).json()) as {
      messageConversations: { id: string; subject: string; read: boolean }[];
    };
    expect(listed.messageConversations).toEqual([{ id, subject: "Stock-out", read: false }]);

    const reply = await call(emu, `/api/messageConversations/${id}`, {
      method: "POST",
      body: "Sent 20 vials",
      headers: { "Content-Type": "text/plain", Authorization: DISTRICT },
    });
    expect(reply.status).toBe(201);
    const mc = (await (await call(emu, `/api/messageConversations/${id}`)).json()) as {
      messages: { text: string }[];
      read: boolean;
      messageCount: number;
    };
    expect(mc.messages.map((m) => m.text)).toEqual(["Out of BCG", "Sent 20 vials"]);
    expect([mc.messageCount, mc.read]).toEqual([2, false]);

    const read = await call(emu, "/api/messageConversations/read", {
      method: "POST",
      body: JSON.stringify([id]),
      headers: { "Content-Type": "application/json" },
    });
    expect(await read.json()).toEqual({ markedRead: [id] });
    const again = await call(emu, "/api/messageConversations/read", {
      method: "POST",
      body: JSON.stringify([id]),
      headers: { "Content-Type": "application/json" },
    });
    expect(await again.json()).toEqual({ markedRead: [] });
    const unread = await call(emu, "/api/messageConversations/unread", {
      method: "POST",
      body: JSON.stringify([id]),
      headers: { "Content-Type": "application/json" },
    });
    expect(await unread.json()).toEqual({ markedUnread: [id] });

    const removed = await call(emu, `/api/messageConversations/${id}/${DISTRICT_ID}`, { method: "DELETE" });
    expect(await removed.json()).toEqual({ removed: [id] });
    const gone = (await (
      await call(emu, "/api/messageConversations", { headers: { Authorization: DISTRICT } })
    ).json()) as {
      messageConversations: unknown[];
    };
    expect(gone.messageConversations).toEqual([]);
    const deleted = await call(emu, `/api/messageConversations/${id}`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    const missing = await call(emu, `/api/messageConversations/${id}`);
    expect(missing.status).toBe(200);
    expect(await missing.json()).toEqual({ message: `No MessageConversation found with UID: ${id}` });
  });

  it("no recipients is 409; an unknown user 409; organisation units reach their users", async () => {
    const emu = await start({ version, seed: "demo" });
    expect(await (await send(emu, { subject: "x", text: "y" })).json()).toMatchObject({
      httpStatusCode: 409,
      message: "No recipients selected.",
    });
    expect(
      await (await send(emu, { subject: "x", text: "y", users: [{ id: "abcdefghijk" }] })).json(),
    ).toMatchObject({
      httpStatusCode: 409,
      message: "User does not exist: abcdefghijk",
    });
    const region = emu.demo!.regions[0]!;
    const res = await send(emu, { subject: "Region", text: "hi", organisationUnits: [{ id: region }] });
    const id = res.headers.get("location")!.split("/").pop()!;
    const mc = emu.state.metadata.get("messageConversations", id) as unknown as {
      userMessages: { user: { id: string } }[];
    };
    expect(mc.userMessages.map((m) => m.user.id)).toContain(DISTRICT_ID);
  });
});

describe.each(["v41", "v42", "v43"] as const)("apps on %s", (version) => {
  const start = useEmulator();

  it("installs a zip with manifest.webapp (under one top folder too), lists it, uninstalls it", async () => {
    const emu = await start({ version, seed: "empty" });
    const manifest = {
      name: "My App",
      version: "1.0.0",
      launch_path: "index.html",
      activities: { dhis: { href: "*" } },
    };
    const bytes = await zip([
      ["my-app/manifest.webapp", JSON.stringify(manifest)],
      ["my-app/index.html", "<html></html>"],
    ]);
    const res = await installZip(emu, bytes, "my-app.zip");
    expect(res.status).toBe(version === "v41" ? 204 : 201);
    if (version !== "v41")
      expect(await res.json()).toMatchObject({ key: "My-App", name: "My App", version: "1.0.0" });
    const list = (await (await call(emu, "/api/apps")).json()) as { key: string; launchUrl: string }[];
    expect(list.map((a) => a.key)).toEqual(["My-App"]);
    expect(list[0]!.launchUrl).toBe(`${emu.url}/api/apps/My-App/index.html`);
    expect((await call(emu, "/api/apps", { method: "PUT" })).status).toBe(204);
    expect((await call(emu, "/api/apps/My-App", { method: "DELETE" })).status).toBe(204);
    const again = await call(emu, "/api/apps/My-App", { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(((await again.json()) as { message: string }).message).toBe("App does not exist: My-App");
  });

  it("a file that is not a zip, or a zip without a manifest, is 409 'Manifest file missing from zip file'", async () => {
    const emu = await start({ version, seed: "empty" });
    for (const bytes of [
      new TextEncoder().encode("not a zip"),
      await zip([["index.html", "<html></html>"]]),
    ]) {
      const res = await installZip(emu, bytes);
      expect(res.status).toBe(409);
      expect(((await res.json()) as { message: string }).message).toBe("Manifest file missing from zip file");
    }
  });
});
