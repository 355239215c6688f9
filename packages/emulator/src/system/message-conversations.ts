/**
 * `POST /api/messageConversations`: a private message. Unlike the metadata CRUD endpoints the
 * answer carries no `response.uid`: the new conversation's UID is only in the `Location` header
 * (dhis2-core `MessageConversationController.postObject` returns `created("Message conversation
 * created").setLocation("/messageConversations/" + uid)`, and `WebMessageControllerAdvice`
 * prefixes the API path). No recipients -> 409 "No recipients selected.".
 */
import type { EmulatorModule } from "../app.js";
import { generateUid } from "../uid.js";
import { HttpError } from "../web-message.js";

const ids = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.flatMap((r) => (r && typeof r === "object" && typeof r.id === "string" ? [r.id as string] : []))
    : [];

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
        const users = new Set(ids(body.users));
        for (const g of ids(body.userGroups)) {
          const group = ctx.state.metadata.get("userGroups", g);
          for (const u of ids(group?.users)) users.add(u);
        }
        if (users.size === 0) throw new HttpError(409, "No recipients selected.");
        const sender = ctx.user!;
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
          userMessages: [...users].map((u) => ({ user: { id: u }, read: u === sender.id })),
          messages: [
            { id: generateUid(), text: String(body.text ?? ""), sender: { id: sender.id }, created: now },
          ],
        });
        ctx.webMessage(201, "Message conversation created", undefined, {
          Location: `${ctx.origin}/api/messageConversations/${id}`,
        });
      },
      { priority: 1 },
    );
    // Reading one back; `fields` picks top-level members (enough for checking what was stored).
    app.get("/api/messageConversations/:id", (ctx) => {
      const found = ctx.state.metadata.get("messageConversations", ctx.params.id!);
      if (!found) return ctx.notFound("MessageConversation", ctx.params.id!);
      const fields = (ctx.query.get("fields") ?? "*").split(",").map((f) => f.trim());
      if (fields.includes("*")) return ctx.json(200, found);
      ctx.json(200, Object.fromEntries(fields.filter((f) => f in found).map((f) => [f, found[f]])));
    });
  },
};
