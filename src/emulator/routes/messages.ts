/** /users/{id}/messages and /users/{id}/messages/{mid}. */
import { previewOf } from "../data/directory";
import type { MessageRecord } from "../data/records";
import { noContent } from "../exchange";
import { resourceNotFound } from "../graph-error";
import { collectionResponse, entityResponse, MAIL_PAGE, requireUser } from "./common";
import { isAnything, isBoolean, isItemBody, isString, readProperties } from "./payload";
import { messageJson } from "./representations";
import type { Route, RouteContext } from "./router";

const SETTABLE_MESSAGE_PROPERTIES = { subject: isString, isRead: isBoolean, body: isItemBody };
/** Recipients are accepted on create so that ordinary drafts work; the emulator sends nothing. */
const CREATABLE_MESSAGE_PROPERTIES = {
  ...SETTABLE_MESSAGE_PROPERTIES,
  toRecipients: isAnything,
  ccRecipients: isAnything,
  bccRecipients: isAnything,
  importance: isString,
};

type ItemBody = MessageRecord["body"];

function mailboxPath(userId: string): string {
  return `users('${userId}')/messages`;
}

function requireMessage(context: RouteContext): { userId: string; message: MessageRecord } {
  const user = requireUser(context);
  const message = context.directory.findMessage(user.id, context.params.mid);
  if (!message) throw resourceNotFound("The specified object was not found in the store.");
  return { userId: user.id, message };
}

function listMessages(context: RouteContext) {
  const user = requireUser(context);
  const messages = context.directory.messages(user.id);
  return collectionResponse(context, {
    items: messages,
    render: messageJson,
    sample: MESSAGE_SAMPLE,
    typeName: "message",
    contextPath: mailboxPath(user.id),
    page: MAIL_PAGE,
  });
}

function getMessage(context: RouteContext) {
  const { userId, message } = requireMessage(context);
  return entityResponse(context, messageJson(message), "message", mailboxPath(userId));
}

/** 201 with the created message, like Graph. */
function createMessage(context: RouteContext) {
  const user = requireUser(context);
  const input = readProperties(context.request, CREATABLE_MESSAGE_PROPERTIES, "Message");
  const message = context.directory.addMessage(user.id, {
    subject: input.subject as string | undefined,
    body: input.body === undefined ? undefined : mergeItemBody(input.body, { contentType: "text", content: "" }),
    isRead: input.isRead as boolean | undefined,
  });
  return entityResponse(context, messageJson(message), "message", mailboxPath(user.id), 201);
}

/** Unlike a user, a patched message answers 200 with the updated entity. */
function patchMessage(context: RouteContext) {
  const { userId, message } = requireMessage(context);
  const changes = readProperties(context.request, SETTABLE_MESSAGE_PROPERTIES, "Message");
  if (typeof changes.subject === "string") message.subject = changes.subject;
  if (typeof changes.isRead === "boolean") message.isRead = changes.isRead;
  if (changes.body !== undefined) {
    message.body = mergeItemBody(changes.body, message.body);
    message.bodyPreview = previewOf(message.body.content);
  }
  return entityResponse(context, messageJson(message), "message", mailboxPath(userId));
}

function deleteMessage(context: RouteContext) {
  const { userId, message } = requireMessage(context);
  context.directory.deleteMessage(userId, message.id);
  return noContent();
}

/** Applies a validated itemBody (see isItemBody) over the current one; Graph's enum is case-insensitive. */
function mergeItemBody(input: unknown, current: ItemBody): ItemBody {
  const body = input as { contentType?: string; content?: string };
  const contentType =
    body.contentType === undefined ? current.contentType : (body.contentType.toLowerCase() as ItemBody["contentType"]);
  return { contentType, content: body.content ?? current.content };
}

/** Validates $select even when the mailbox is empty. */
const MESSAGE_SAMPLE = messageJson({
  id: "",
  subject: "",
  bodyPreview: "",
  body: { contentType: "text", content: "" },
  isRead: false,
  receivedDateTime: "",
});

export const messageRoutes: Route[] = [
  { pattern: "/users/{id}/messages", handlers: { GET: listMessages, POST: createMessage } },
  { pattern: "/users/{id}/messages/{mid}", handlers: { GET: getMessage, PATCH: patchMessage, DELETE: deleteMessage } },
];
