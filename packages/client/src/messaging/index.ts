export {
  type Message,
  type MessageConversation,
  type MessageConversationSummary,
  Messaging,
  MessagingError,
  type NewMessage,
} from "./messaging.js";
