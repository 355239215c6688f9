/**
 * `client.messaging`: private message conversations (`/api/messageConversations`), the same on
 * 2.41-2.43 (dhis2-core `MessageConversationController`). The new conversation's id comes only
 * in the `Location` header; a reply is the raw request body, so it goes as `text/plain` (JSON
 * would be stored with its quotes).
 */
import { uidFromLocation } from "../envelopes/web-message.js";
import { Dhis2ClientError } from "../errors.js";
import { Dhis2ApiError } from "../http/errors/api-error.js";
import { type CallOptions, enc, type FacadeHttp } from "../http/facade.js";

/** A conversation as `list` returns it. */
export interface MessageConversationSummary {
  readonly id: string;
  readonly subject: string;
  readonly read: boolean;
  readonly lastMessage?: string;
  readonly messageCount?: number;
  readonly messageType?: string;
  readonly lastSender?: { readonly id: string };
  readonly [key: string]: unknown;
}

/** One message of a conversation. */
export interface Message {
  readonly id: string;
  readonly text: string;
  readonly sender?: { readonly id: string };
  readonly created?: string;
  readonly internal?: boolean;
}

/** A conversation with its messages. */
export interface MessageConversation extends MessageConversationSummary {
  readonly messages: readonly Message[];
  readonly userMessages?: readonly { readonly user: { readonly id: string }; readonly read: boolean }[];
}

/** What {@link Messaging.send} takes: at least one recipient. */
export interface NewMessage {
  readonly subject: string;
  readonly text: string;
  /** User ids. */
  readonly users?: readonly string[];
  /** User group ids: every member. */
  readonly userGroups?: readonly string[];
  /** Org unit ids: every user assigned to one. */
  readonly organisationUnits?: readonly string[];
}

/**
 * A message that cannot be sent: no recipients, no subject, an unknown recipient. `field` says
 * which part.
 *
 * @example
 * ```ts
 * try { await client.messaging.send({ subject: "Hi", text: "..." }); }
 * catch (e) { if (e instanceof MessagingError) console.error(e.field, e.message); }
 * ```
 */
export class MessagingError extends Dhis2ClientError {
  override readonly name = "MessagingError" as const;
  constructor(
    message: string,
    readonly field: "recipients" | "subject" | "text" | "ids" | "conversation",
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const SUMMARY = "id,subject,read,lastMessage,messageCount,messageType,lastSender";
const refs = (ids: readonly string[] | undefined) => (ids ?? []).map((id) => ({ id }));

/**
 * Message conversations of the current user.
 *
 * @example
 * ```ts
 * const id = await client.messaging.send({ subject: "Stock-out", text: "Out of BCG", users: ["DXyJmlo9rge"] });
 * await client.messaging.reply(id, "20 vials sent");
 * for (const c of await client.messaging.list()) console.log(c.subject, c.read);
 * ```
 */
export class Messaging {
  readonly #http: FacadeHttp;
  readonly #me: (signal?: AbortSignal) => Promise<{ id: string }>;

  constructor(http: FacadeHttp, me: (signal?: AbortSignal) => Promise<{ id: string }>) {
    this.#http = http;
    this.#me = me;
  }

  /** The current user's conversations, newest first (every page). */
  async list(
    options: CallOptions & { fields?: string; unreadOnly?: boolean } = {},
  ): Promise<MessageConversationSummary[]> {
    const raw = await this.#http.request<{ messageConversations?: MessageConversationSummary[] }>(
      "GET",
      "/api/messageConversations",
      { params: { fields: options.fields ?? SUMMARY, paging: "false" }, signal: options.signal },
    );
    const all = raw.messageConversations ?? [];
    return options.unreadOnly ? all.filter((c) => c.read === false) : all;
  }

  /** One conversation with its messages. */
  async get(id: string, options: CallOptions = {}): Promise<MessageConversation> {
    const raw = await this.#http.request<Partial<MessageConversation> & { message?: string }>(
      "GET",
      `/api/messageConversations/${enc(id)}`,
      { params: { fields: "*" }, signal: options.signal },
    );
    // An unknown id is answered 200 with { message } (the controller's ResponseEntity.ok wins).
    if (typeof raw.id !== "string") {
      throw new MessagingError(
        `message conversation ${id}: ${typeof raw.message === "string" ? raw.message : "not found"}`,
        "conversation",
      );
    }
    return raw as MessageConversation;
  }

  /** Sends a new private message; returns the conversation's id (from `Location`). */
  async send(message: NewMessage, options: CallOptions = {}): Promise<string> {
    if (typeof message?.subject !== "string" || message.subject.trim() === "") {
      throw new MessagingError("send: a message needs a subject", "subject");
    }
    if (typeof message.text !== "string") throw new MessagingError("send: a message needs a text", "text");
    const count =
      (message.users?.length ?? 0) +
      (message.userGroups?.length ?? 0) +
      (message.organisationUnits?.length ?? 0);
    if (count === 0) {
      throw new MessagingError(
        "send: a message needs at least one recipient (users, userGroups or organisationUnits)",
        "recipients",
      );
    }
    let location: string | null = null;
    try {
      await this.#http.request("POST", "/api/messageConversations", {
        body: {
          subject: message.subject,
          text: message.text,
          users: refs(message.users),
          userGroups: refs(message.userGroups),
          organisationUnits: refs(message.organisationUnits),
        },
        onHeaders: (h) => {
          location = h.get("location");
        },
        signal: options.signal,
      });
    } catch (err) {
      if (err instanceof Dhis2ApiError && (err.statusCode === 409 || err.statusCode === 404)) {
        throw new MessagingError(`send: ${err.serverMessage}`, "recipients", { cause: err });
      }
      throw err;
    }
    const id = uidFromLocation(location);
    if (!id) throw new Dhis2ClientError("POST /api/messageConversations: no Location header with the new id");
    return id;
  }

  /** Replies in a conversation (sent as `text/plain`). */
  async reply(id: string, text: string, options: CallOptions = {}): Promise<void> {
    if (typeof text !== "string" || text === "") throw new MessagingError("reply: the text is empty", "text");
    await this.#http.request("POST", `/api/messageConversations/${enc(id)}`, {
      body: text,
      headers: { "content-type": "text/plain;charset=UTF-8" },
      signal: options.signal,
    });
  }

  /** Marks conversations read for the current user; returns those that changed. */
  markRead(ids: readonly string[], options: CallOptions = {}): Promise<string[]> {
    return this.#mark("read", ids, options);
  }

  /** Marks conversations unread for the current user; returns those that changed. */
  markUnread(ids: readonly string[], options: CallOptions = {}): Promise<string[]> {
    return this.#mark("unread", ids, options);
  }

  async #mark(which: "read" | "unread", ids: readonly string[], options: CallOptions): Promise<string[]> {
    if (!Array.isArray(ids) || ids.length === 0)
      throw new MessagingError(`mark ${which}: no conversation ids`, "ids");
    let raw: { markedRead?: string[]; markedUnread?: string[] };
    try {
      raw = await this.#http.request("POST", `/api/messageConversations/${which}`, {
        body: [...ids],
        signal: options.signal,
      });
    } catch (err) {
      if (err instanceof Dhis2ApiError && err.statusCode === 404) {
        throw new MessagingError(
          `mark ${which}: none of ${ids.join(", ")} is one of your conversations`,
          "ids",
          {
            cause: err,
          },
        );
      }
      throw err;
    }
    return (which === "read" ? raw.markedRead : raw.markedUnread) ?? [];
  }

  /**
   * Removes the conversation from the current user's inbox (`DELETE /{id}/{userId}`); the other
   * participants keep it. Returns false when the user was not in it.
   */
  async delete(id: string, options: CallOptions = {}): Promise<boolean> {
    const me = await this.#me(options.signal);
    const raw = await this.#http.request<{ removed?: string[] }>(
      "DELETE",
      `/api/messageConversations/${enc(id)}/${enc(me.id)}`,
      { signal: options.signal },
    );
    return (raw.removed ?? []).includes(id);
  }
}
