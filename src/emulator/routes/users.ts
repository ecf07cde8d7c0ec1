/** /users, /users/{id}, its manager and its photo. */
import { bytesResponse, noContent } from "../exchange";
import { directoryObjectNotFound } from "../graph-error";
import { rejectUnsupportedOptions } from "../odata";
import { collectionResponse, DIRECTORY_PAGE, entityResponse, requireUser } from "./common";
import { isString, readBytes, readProperties } from "./payload";
import { asDirectoryObject, userJson } from "./representations";
import type { Route, RouteContext } from "./router";

const SETTABLE_USER_PROPERTIES = {
  displayName: isString,
  givenName: isString,
  surname: isString,
  jobTitle: isString,
  officeLocation: isString,
};

function listUsers(context: RouteContext) {
  return collectionResponse(context, {
    items: context.directory.users,
    render: userJson,
    sample: userJson(context.directory.me),
    typeName: "user",
    contextPath: "users",
    page: DIRECTORY_PAGE,
  });
}

function getUser(context: RouteContext) {
  return entityResponse(context, userJson(requireUser(context)), "user", "users");
}

/** Graph answers a successful PATCH of a user with 204 and no body. */
function patchUser(context: RouteContext) {
  const user = requireUser(context);
  const changes = readProperties(context.request, SETTABLE_USER_PROPERTIES, "User", ["id", "mail", "userPrincipalName"]);
  for (const key of Object.keys(SETTABLE_USER_PROPERTIES) as (keyof typeof SETTABLE_USER_PROPERTIES)[]) {
    if (key in changes) user[key] = changes[key] as string;
  }
  return noContent();
}

function getManager(context: RouteContext) {
  const user = requireUser(context);
  const manager = user.managerId ? context.directory.findUser(user.managerId) : undefined;
  if (!manager) throw directoryObjectNotFound("manager");
  return entityResponse(context, asDirectoryObject(userJson(manager)), "user", "directoryObjects");
}

function getPhoto(context: RouteContext) {
  rejectUnsupportedOptions(context.request.query);
  const user = requireUser(context);
  // Every user has a photo (generated or uploaded), so a known user always has one.
  const photo = context.directory.photo(user.id);
  if (!photo) throw directoryObjectNotFound(user.id);
  return bytesResponse(200, photo.bytes, photo.contentType);
}

function putPhoto(context: RouteContext) {
  const user = requireUser(context);
  const { bytes, contentType } = readBytes(context.request);
  context.directory.setPhoto(user.id, { bytes: Buffer.from(bytes), contentType });
  return noContent();
}

export const userRoutes: Route[] = [
  { pattern: "/users", handlers: { GET: listUsers } },
  { pattern: "/users/{id}", handlers: { GET: getUser, PATCH: patchUser } },
  { pattern: "/users/{id}/manager", handlers: { GET: getManager } },
  { pattern: "/users/{id}/photo/$value", handlers: { GET: getPhoto, PUT: putPhoto } },
];
