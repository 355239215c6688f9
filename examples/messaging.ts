/**
 * Messaging: sends a private message (its id comes from the `Location` header), lists the inbox,
 * replies (as text/plain, as DHIS2 wants), marks it read and unread, and removes it from the
 * inbox; a message with no recipients is refused before anything is sent.
 *
 * Runs against DHIS2_URL (+ credentials) when set, else an embedded emulator:
 *
 *   npx tsx --conditions=source examples/messaging.ts
 */
import { MessagingError, openClient } from "@dhis2w/client";
import { exampleTarget, runIfMain } from "./_support.js";

export async function main(): Promise<void> {
  const target = await exampleTarget();
  try {
    await using client = await openClient(target.profile);
    const me = await client.system.me();

    const id = await client.messaging.send({
      subject: "dhis2w example",
      text: "A note to myself",
      users: [me.id],
    });
    console.log(`sent conversation ${id}`);
    await client.messaging.reply(id, 'And a reply with "quotes", kept as written');
    const conversation = await client.messaging.get(id);
    for (const m of conversation.messages) console.log(`  message: ${m.text}`);
    console.log(
      `marked read: ${(await client.messaging.markRead([id])).length}, unread: ${(await client.messaging.markUnread([id])).length}`,
    );
    const inbox = await client.messaging.list();
    console.log(`inbox: ${inbox.length} conversation(s), newest "${inbox[0]?.subject}"`);
    console.log(`removed from my inbox: ${await client.messaging.delete(id)}`);

    try {
      await client.messaging.send({ subject: "nobody", text: "..." });
    } catch (e) {
      if (!(e instanceof MessagingError)) throw e;
      console.log(`refused (${e.field}): ${e.message}`);
    }
  } finally {
    await target.close();
  }
}

runIfMain(import.meta.url, main);
