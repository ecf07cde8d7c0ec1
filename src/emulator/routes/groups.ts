/** /groups, /groups/{id}, its members (with $ref) and owners. */
import { noContent } from "../exchange";
import { badRequest, directoryObjectNotFound } from "../graph-error";
import { collectionResponse, DIRECTORY_PAGE, entityResponse, requireGroup } from "./common";
import { isString, readJsonObject, readProperties } from "./payload";
import { asDirectoryObject, groupJson, userJson } from "./representations";
import type { Route, RouteContext } from "./router";
import type { UserRecord } from "../data/records";

const SETTABLE_GROUP_PROPERTIES = { displayName: isString, description: isString };

/** Accepts ".../directoryObjects/{id}", ".../users/{id}" and the key form ".../directoryObjects('{id}')". */
const OBJECT_REFERENCE = /\/(?:directoryObjects|users)(?:\/([^/?#()']+)|\('([^']+)'\))\/?$/i;

/** Validates $select even when there are no groups. */
const GROUP_SAMPLE = groupJson({
  id: "",
  displayName: "",
  description: "",
  mail: "",
  mailNickname: "",
  memberIds: [],
  ownerIds: [],
});

function listGroups(context: RouteContext) {
  return collectionResponse(context, {
    items: context.directory.groups,
    render: groupJson,
    sample: GROUP_SAMPLE,
    typeName: "group",
    contextPath: "groups",
    page: DIRECTORY_PAGE,
  });
}

function getGroup(context: RouteContext) {
  return entityResponse(context, groupJson(requireGroup(context)), "group", "groups");
}

/** Like a user, a patched group answers 204. */
function patchGroup(context: RouteContext) {
  const group = requireGroup(context);
  const changes = readProperties(context.request, SETTABLE_GROUP_PROPERTIES, "Group", ["id", "mail"]);
  if (typeof changes.displayName === "string") group.displayName = changes.displayName;
  if (typeof changes.description === "string") group.description = changes.description;
  return noContent();
}

function userCollection(context: RouteContext, ids: readonly string[]) {
  const users = ids
    .map((id) => context.directory.findUser(id))
    .filter((user): user is UserRecord => user !== undefined);
  return collectionResponse(context, {
    items: users,
    render: userJson,
    sample: userJson(context.directory.me),
    typeName: "user",
    contextPath: "directoryObjects",
    page: DIRECTORY_PAGE,
    decorate: asDirectoryObject,
  });
}

function listMembers(context: RouteContext) {
  return userCollection(context, requireGroup(context).memberIds);
}

function listOwners(context: RouteContext) {
  return userCollection(context, requireGroup(context).ownerIds);
}

/** POST members/$ref: 204, or 400 when the user already is a member (Graph's message). */
function addMember(context: RouteContext) {
  const group = requireGroup(context);
  const reference = readJsonObject(context.request)["@odata.id"];
  const match = typeof reference === "string" ? OBJECT_REFERENCE.exec(reference) : null;
  if (!match) throw badRequest(`Invalid object identifier '${String(reference)}'.`, "Request_BadRequest");
  const userId = match[1] ?? match[2];
  const user = context.directory.findUser(userId);
  if (!user) throw directoryObjectNotFound(userId);
  if (!context.directory.addMember(group, user.id)) {
    throw badRequest(
      "One or more added object references already exist for the following modified properties: 'members'.",
      "Request_BadRequest",
    );
  }
  return noContent();
}

export const groupRoutes: Route[] = [
  { pattern: "/groups", handlers: { GET: listGroups } },
  { pattern: "/groups/{id}", handlers: { GET: getGroup, PATCH: patchGroup } },
  { pattern: "/groups/{id}/members", handlers: { GET: listMembers } },
  { pattern: "/groups/{id}/members/$ref", handlers: { POST: addMember } },
  { pattern: "/groups/{id}/owners", handlers: { GET: listOwners } },
];
