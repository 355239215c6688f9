/** `d2w messaging list|send|reply`: private message conversations of the current user. */
import { messagingList, messagingReply, messagingSend } from "@dhis2w/core";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError } from "../errors.js";

const list = defineCommand({
  meta: {
    name: "list",
    description: "List your message conversations, newest first",
    examples: ["d2w messaging list", "d2w messaging list --unread", "d2w --json messaging list"],
  },
  args: { unread: { type: "boolean", description: "only the unread ones" } },
  async run(args, ctx) {
    const rows = await messagingList(await ctx.resolve(), { unreadOnly: args.unread }, ctx.clientOptions());
    ctx.printRows(
      rows,
      [
        { header: "ID", value: (r) => r.id },
        { header: "READ", value: (r) => (r.read ? "yes" : "no") },
        { header: "MESSAGES", value: (r) => r.messageCount },
        { header: "LAST", value: (r) => r.lastMessage },
        { header: "SUBJECT", value: (r) => r.subject },
      ],
      "(no conversations)",
    );
  },
});

const send = defineCommand({
  meta: {
    name: "send",
    description: "Send a private message to users, user groups or org units' users",
    examples: [
      'd2w messaging send --subject "Stock-out" --to DXyJmlo9rge "Out of BCG"',
      'd2w messaging send --subject "Reminder" --group Wl5cDMuUhmF --org-unit ImspTQPwCqd "Reports due Friday"',
    ],
  },
  args: {
    text: { type: "positional", description: "the message", required: true },
    subject: { type: "string", description: "the subject", required: true, valueName: "text" },
    to: { type: "list", description: "a recipient user's UID", valueName: "uid" },
    group: { type: "list", description: "a recipient user group's UID (every member)", valueName: "uid" },
    orgUnit: { type: "list", description: "an org unit's UID (every user assigned to it)", valueName: "uid" },
  },
  async run(args, ctx) {
    const users = args.to ?? [];
    const userGroups = args.group ?? [];
    const organisationUnits = args.orgUnit ?? [];
    if (users.length + userGroups.length + organisationUnits.length === 0) {
      throw new UsageError("messaging send: give at least one recipient (--to, --group or --org-unit)");
    }
    const id = await messagingSend(
      await ctx.resolve(),
      { subject: args.subject, text: args.text, users, userGroups, organisationUnits },
      ctx.clientOptions(),
    );
    if (ctx.json) return ctx.printJson({ id });
    ctx.out(id);
  },
});

const reply = defineCommand({
  meta: {
    name: "reply",
    description: "Reply in a conversation",
    examples: ['d2w messaging reply Ab1cD2eF3gH "20 vials sent"'],
  },
  args: {
    id: { type: "positional", description: "the conversation's id", required: true },
    text: { type: "positional", description: "the reply", required: true },
  },
  async run(args, ctx) {
    await messagingReply(await ctx.resolve(), args.id, args.text, ctx.clientOptions());
    if (ctx.json) return ctx.printJson({ id: args.id, replied: true });
    ctx.out(`replied in ${args.id}`);
  },
});

export default defineGroup({
  meta: { name: "messaging", description: "List, send and reply to private messages" },
  subCommands: [list, send, reply],
});
