/** Messaging services for the CLI (`d2w messaging list|send|reply`). */
import type { MessageConversationSummary, NewMessage } from "@dhis2w/client";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/**
 * The current user's conversations.
 *
 * @example
 * ```ts
 * const inbox = await messagingList(resolveProfile(), { unreadOnly: true });
 * ```
 */
export function messagingList(
  target: ServiceTarget,
  input: { unreadOnly?: boolean } = {},
  options?: ServiceOptions,
): Promise<MessageConversationSummary[]> {
  return withClient(target, (client) => client.messaging.list(input), options);
}

/**
 * Sends a private message; returns the new conversation's id.
 *
 * @example
 * ```ts
 * const id = await messagingSend(resolveProfile(), { subject: "Hi", text: "...", users: ["DXyJmlo9rge"] });
 * ```
 */
export function messagingSend(
  target: ServiceTarget,
  message: NewMessage,
  options?: ServiceOptions,
): Promise<string> {
  return withClient(target, (client) => client.messaging.send(message), options);
}

/**
 * Replies in a conversation.
 *
 * @example
 * ```ts
 * await messagingReply(resolveProfile(), "Ab1cD2eF3gH", "Thanks");
 * ```
 */
export function messagingReply(
  target: ServiceTarget,
  id: string,
  text: string,
  options?: ServiceOptions,
): Promise<void> {
  return withClient(target, (client) => client.messaging.reply(id, text), options);
}
