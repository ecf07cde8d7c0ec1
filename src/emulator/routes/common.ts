/** Helpers shared by the resource handlers. */
import type { GroupRecord, UserRecord } from "../data/records";
import { jsonResponse, type ResourceResponse } from "../exchange";
import { directoryObjectNotFound } from "../graph-error";
import { applySelect, contextUrl, paginate, parseSelect, rejectUnsupportedOptions } from "../odata";
import type { RouteContext } from "./router";

/** Graph's default page size for directory collections, and its $top limit. */
export const DIRECTORY_PAGE = { defaultPageSize: 100, maxPageSize: 999 };
/** Outlook's defaults for mail collections. */
export const MAIL_PAGE = { defaultPageSize: 10, maxPageSize: 1000 };

export function requireUser(context: RouteContext): UserRecord {
  const user = context.directory.findUser(context.params.id);
  if (!user) throw directoryObjectNotFound(context.params.id);
  return user;
}

export function requireGroup(context: RouteContext): GroupRecord {
  const group = context.directory.findGroup(context.params.id);
  if (!group) throw directoryObjectNotFound(context.params.id);
  return group;
}

export interface CollectionSpec<T, J extends object> {
  items: readonly T[];
  render: (item: T) => J;
  /** Any rendered item, to validate $select against (the collection may be empty). */
  sample: J;
  typeName: string;
  /** Entity set path for @odata.context, e.g. "users" or "users('u-0001')/messages". */
  contextPath: string;
  page: { defaultPageSize: number; maxPageSize: number };
  /** Post-processing after $select, e.g. adding @odata.type. */
  decorate?: (json: object) => object;
}

/** A paged collection answer with @odata.context and, when more remain, @odata.nextLink. */
export function collectionResponse<T, J extends object>(context: RouteContext, spec: CollectionSpec<T, J>): ResourceResponse {
  const { query } = context.request;
  rejectUnsupportedOptions(query);
  const select = parseSelect(query, spec.sample, spec.typeName);
  const page = paginate(context.request, spec.items, {
    ...spec.page,
    collectionUrl: `${context.serviceRoot}${encodePath(context.request.path)}`,
  });
  const decorate = spec.decorate ?? ((json: object) => json);
  const body: Record<string, unknown> = {
    "@odata.context": contextUrl(context.serviceRoot, spec.contextPath, select, false),
  };
  if (page.nextLink) body["@odata.nextLink"] = page.nextLink;
  body.value = page.items.map((item) => decorate(applySelect(spec.render(item), select)));
  return jsonResponse(200, body);
}

/** A single entity answer, with $select applied. */
export function entityResponse<J extends object>(
  context: RouteContext,
  entity: J,
  typeName: string,
  contextPath: string,
  status = 200,
): ResourceResponse {
  const { query } = context.request;
  rejectUnsupportedOptions(query);
  const select = parseSelect(query, entity, typeName);
  return jsonResponse(status, {
    "@odata.context": contextUrl(context.serviceRoot, contextPath, select, true),
    ...applySelect(entity, select),
  });
}

/** Re-encodes a decoded path for use in a URL. */
export function encodePath(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/%24/g, "$"))
    .join("/");
}
