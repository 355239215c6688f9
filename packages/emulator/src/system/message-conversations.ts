/**
 * `/api/messageConversations` as dhis2-core `MessageConversationController` answers it on
 * 2.41-2.43 (private messages; tickets and system messages are not emulated):
 *
 * | request | answer |
 * |---|---|
 * | `POST /` `{ subject, text, users, userGroups, organisationUnits }` | 201 "Message conversation created"; the new UID only in `Location` (`created(...).setLocation(...)`, no `response.uid`). Recipients: the users, the groups' members and the users of the org units, plus the sender; none: 409 "No recipients selected."; an unknown user / org unit: 409 "User does not exist: X" / "Organisation Unit does not exist: X"; an unknown group: 404 |
 * | `GET /` | the caller's conversations (paged; `fields`, default `id,displayName`) |
 * | `GET /{uid}` | the conversation (`read`/`followUp` for the caller); unknown: `{ message: "No MessageConversation found with UID: X" }` with status 200 (the controller sets 404 and then returns `ResponseEntity.ok`, whose status wins); not a participant: 403 |
 * | `POST /{uid}` (the reply as the raw body, any content type) | 201 "Message conversation created" with `Location`; the other participants' copies turn unread |
 * | `POST /read`, `/unread` (JSON array of UIDs) | `{ markedRead: [...] }` / `{ markedUnread: [...] }`: the UIDs whose state changed; none of them the caller's: 404 `{ message: "No MessageConversations found for the given IDs." }` |
 * | `DELETE /{uid}/{userUid}` | removes the user from it: `{ removed: [uid] }` (`[]` when not a participant) |
 * | `DELETE /{uid}` | deletes it for everyone (needs F_METADATA_IMPORT or ALL): 200 ObjectReport |
 */
import type { EmulatorModule } from "../app.js";
import type { Ctx } from "../ctx.js";
import type { MetadataObject } from "../metadata-store.js";
import { generateUid } from "../uid.js";
import type { EmulatorUser } from "../users.js";
import { isSuperuser } from "../users.js";
import { HttpError } from "../web-message.js";

const ids = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.flatMap((r) => (r && typeof r === "object" && typeof r.id === "string" ? [r.id as string] : []))
    : [];

interface UserMessage {
  user: { id: string };
  read: boolean;
  followUp?: boolean;
}

const participants = (mc: MetadataObject): UserMessage[] =>
  (mc.userMessages as UserMessage[] | undefined) ?? [];

function me(ctx: Ctx): EmulatorUser {
  if (!ctx.user) throw new HttpError(401, "Unauthorized");
  return ctx.user;
}

function canAccess(user: EmulatorUser, mc: MetadataObject): boolean {
  return isSuperuser(user) || participants(mc).some((m) => m.user.id === user.id);
}

/** The conversation as the caller sees it: `read` and `followUp` are the caller's. */
function view(mc: MetadataObject, user: EmulatorUser): MetadataObject {
  const mine = participants(mc).find((m) => m.user.id === user.id);
  return { ...mc, displayName: mc.subject, read: mine?.read ?? false, followUp: mine?.followUp ?? false };
}

function pick(obj: MetadataObject, fields: string): Record<string, unknown> {
  const names = fields.split(",").map((f) => f.trim());
  if (names.includes("*") || names.includes(":all")) return obj;
  return Object.fromEntries(names.filter((f) => f in obj).map((f) => [f, obj[f]]));
}

/** The recipients DHIS2 resolves (`getUsersToMessageConversation`). */
function recipients(ctx: Ctx, body: Record<string, unknown>): Set<string> {
  const users = new Set<string>();
  for (const ou of ids(body.organisationUnits)) {
    if (!ctx.state.metadata.has("organisationUnits", ou)) {
      throw new HttpError(409, `Organisation Unit does not exist: ${ou}`);
    }
    for (const u of ctx.state.users.all()) if (u.organisationUnits.includes(ou)) users.add(u.id);
  }
  for (const u of ids(body.users)) {
    if (!ctx.state.users.byId(u)) throw new HttpError(409, `User does not exist: ${u}`);
    users.add(u);
  }
  for (const g of ids(body.userGroups)) {
    const group = ctx.state.metadata.get("userGroups", g);
    if (!group)
      throw new HttpError(404, `UserGroup with id ${g} could not be found.`, { errorCode: "E1005" });
    for (const u of ids(group.users)) users.add(u);
  }
  return users;
}

function markRead(ctx: Ctx, read: boolean, uids: readonly string[]): void {
  const user = ctx.query.get("user") ? ctx.state.users.byId(ctx.query.get("user")!) : me(ctx);
  if (!user) {
    ctx.json(404, { message: `No user with uid: ${ctx.query.get("user")}` });
    return;
  }
  const theirs = uids
    .map((id) => ctx.state.metadata.get("messageConversations", id))
    .filter((mc): mc is MetadataObject => !!mc && participants(mc).some((m) => m.user.id === user.id));
  if (theirs.length === 0) {
    ctx.json(404, { message: "No MessageConversations found for the given IDs." });
    return;
  }
  const changed: string[] = [];
  for (const mc of theirs) {
    const mine = participants(mc).find((m) => m.user.id === user.id)!;
    if (mine.read !== read) {
      mine.read = read;
      changed.push(mc.id);
    }
  }
  ctx.json(200, { [read ? "markedRead" : "markedUnread"]: changed });
}

async function readIds(ctx: Ctx): Promise<string[]> {
  const body = await ctx.readJson<unknown>();
  if (!Array.isArray(body) || !body.every((x) => typeof x === "string")) {
    throw new HttpError(400, "JSON parse error: the body must be a JSON array of UIDs");
  }
  return body as string[];
}

/** The message conversation module (listed in `src/modules.ts`). */
export const messageConversationsModule: EmulatorModule = {
  name: "message-conversations",
  install(app) {
    app.post(
      "/api/messageConversations",
      async (ctx) => {
        const body = await ctx.readJson<Record<string, unknown>>();
        if (!body || typeof body !== "object" || Array.isArray(body)) {
          throw new HttpError(400, "The request body must be a JSON object");
        }
        const users = recipients(ctx, body);
        if (users.size === 0) throw new HttpError(409, "No recipients selected.");
        const sender = me(ctx);
        users.add(sender.id);
        const id = generateUid();
        const now = ctx.state.timestamp();
        ctx.state.metadata.put("messageConversations", {
          id,
          subject: typeof body.subject === "string" ? body.subject : "",
          messageType: "PRIVATE",
          priority: "NONE",
          status: "NONE",
          created: now,
          lastUpdated: now,
          lastMessage: now,
          createdBy: { id: sender.id },
          lastSender: { id: sender.id },
          messageCount: 1,
          userMessages: [...users].map((u) => ({ user: { id: u }, read: u === sender.id, followUp: false })),
          messages: [
            {
              id: generateUid(),
              text: String(body.text ?? ""),
              sender: { id: sender.id },
              created: now,
              internal: false,
            },
          ],
        });
        ctx.webMessage(201, "Message conversation created", undefined, {
          Location: `${ctx.origin}/api/messageConversations/${id}`,
        });
      },
      { priority: 1 },
    );

    app.get("/api/messageConversations", (ctx) => {
      const user = me(ctx);
      const all = [...ctx.state.metadata.bucket("messageConversations").values()]
        .filter((mc) => participants(mc).some((m) => m.user.id === user.id))
        .sort((a, b) => String(b.lastMessage).localeCompare(String(a.lastMessage)))
        .map((mc) => view(mc, user));
      const fields = ctx.query.getAll("fields").join(",") || "id,displayName";
      const items = all.map((mc) => pick(mc, fields));
      if (ctx.query.get("paging") === "false") return ctx.json(200, { messageConversations: items });
      const page = Math.max(1, Number(ctx.query.get("page") ?? 1) || 1);
      const pageSize = Math.max(1, Number(ctx.query.get("pageSize") ?? 50) || 50);
      ctx.json(200, {
        pager: { page, total: items.length, pageSize, pageCount: Math.ceil(items.length / pageSize) },
        messageConversations: items.slice((page - 1) * pageSize, page * pageSize),
      });
    });

    app.get("/api/messageConversations/:id", (ctx) => {
      const found = ctx.state.metadata.get("messageConversations", ctx.params.id!);
      if (!found)
        return ctx.json(200, { message: `No MessageConversation found with UID: ${ctx.params.id}` });
      const user = me(ctx);
      if (!canAccess(user, found)) throw new HttpError(403, "Not authorized to access this conversation.");
      if (ctx.query.get("markRead") === "true") {
        const mine = participants(found).find((m) => m.user.id === user.id);
        if (mine) mine.read = true;
      }
      ctx.json(200, pick(view(found, user), ctx.query.getAll("fields").join(",") || "*"));
    });

    app.post("/api/messageConversations/:id", async (ctx) => {
      const mc = ctx.state.metadata.get("messageConversations", ctx.params.id!);
      if (!mc) throw new HttpError(404, `Message conversation does not exist: ${ctx.params.id}`);
      const user = me(ctx);
      if (!canAccess(user, mc))
        throw new HttpError(403, "Not authorized to send messages to this conversation.");
      const text = await ctx.bodyText();
      const now = ctx.state.timestamp();
      const messages = (mc.messages as unknown[] | undefined) ?? [];
      messages.push({ id: generateUid(), text, sender: { id: user.id }, created: now, internal: false });
      for (const m of participants(mc)) m.read = m.user.id === user.id;
      Object.assign(mc, {
        messages,
        messageCount: messages.length,
        lastMessage: now,
        lastUpdated: now,
        lastSender: { id: user.id },
      });
      ctx.webMessage(201, "Message conversation created", undefined, {
        Location: `${ctx.origin}/api/messageConversations/${mc.id}`,
      });
    });

    // `@RequestBody List<String>`: a JSON array of UIDs.
    app.post("/api/messageConversations/read", async (ctx) => markRead(ctx, true, await readIds(ctx)));
    app.post("/api/messageConversations/unread", async (ctx) => markRead(ctx, false, await readIds(ctx)));
    app.post("/api/messageConversations/:uid/read", (ctx) => markRead(ctx, true, [ctx.params.uid!]));
    app.post("/api/messageConversations/:uid/unread", (ctx) => markRead(ctx, false, [ctx.params.uid!]));

    app.delete("/api/messageConversations/:id/:userId", (ctx) => {
      const target = ctx.state.users.byId(ctx.params.userId!);
      if (!target) return ctx.json(404, { message: `No user with uid: ${ctx.params.userId}` });
      const mc = ctx.state.metadata.get("messageConversations", ctx.params.id!);
      if (!mc) return ctx.json(404, { message: `No messageConversation with uid: ${ctx.params.id}` });
      if (!canAccess(me(ctx), mc)) {
        throw new HttpError(403, "Not authorized to remove assigned users to this conversation.");
      }
      const before = participants(mc);
      const after = before.filter((m) => m.user.id !== target.id);
      mc.userMessages = after;
      ctx.json(200, { removed: after.length < before.length ? [mc.id] : [] });
    });

    app.delete("/api/messageConversations/:id", (ctx) => {
      const user = me(ctx);
      if (!isSuperuser(user) && !user.authorities?.includes("F_METADATA_IMPORT")) {
        throw new HttpError(403, "Access is denied, requires one Authority from [F_METADATA_IMPORT]");
      }
      const mc = ctx.state.metadata.get("messageConversations", ctx.params.id!);
      if (!mc) throw new HttpError(404, `Message conversation does not exist: ${ctx.params.id}`);
      if (!canAccess(user, mc)) throw new HttpError(403, "Not authorized to delete this conversation.");
      ctx.state.metadata.delete("messageConversations", mc.id);
      ctx.webMessage(200, undefined, {
        response: {
          responseType: "ObjectReport",
          uid: mc.id,
          klass: "org.hisp.dhis.message.MessageConversation",
          errorReports: [],
        },
      });
    });
  },
};
