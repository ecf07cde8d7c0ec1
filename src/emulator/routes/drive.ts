/**
 * Drive items and their content. GET .../content answers 302 to a
 * pre-authenticated download URL on the emulator itself, as Graph answers 302
 * to SharePoint: clients must follow it (unbatched) or handle the Location
 * (inside a batch, where Graph never follows redirects).
 */
import { createHmac } from "node:crypto";
import type { Directory } from "../data/directory";
import { isoDate } from "../data/generate";
import type { DriveItemRecord } from "../data/records";
import { bytesResponse, redirect, type ResourceResponse } from "../exchange";
import { GraphError, resourceNotFound } from "../graph-error";
import { entityResponse, requireUser } from "./common";
import { readBytes } from "./payload";
import { driveItemJson } from "./representations";
import type { Route, RouteContext } from "./router";

/** Path prefix of download URLs; outside any version, like a SharePoint host would be. */
export const DOWNLOAD_PREFIX = "/_download/";

/**
 * Signs download URLs so they work without Authorization (like Graph's
 * tempauth URLs) while a guessed or tampered URL does not.
 */
export class DownloadSigner {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  url(itemId: string): string {
    return `${this.baseUrl}${DOWNLOAD_PREFIX}${encodeURIComponent(itemId)}?sig=${this.signature(itemId)}`;
  }

  verify(itemId: string, signature: string | null): boolean {
    return signature === this.signature(itemId);
  }

  private signature(itemId: string): string {
    return createHmac("sha256", this.secret).update(itemId.toLowerCase()).digest("base64url").slice(0, 22);
  }
}

function requireItem(context: RouteContext): DriveItemRecord {
  const user = requireUser(context);
  const item = context.directory.findDriveItem(user.id, context.params.iid);
  if (!item) throw resourceNotFound("The resource could not be found.");
  return item;
}

function itemContextPath(item: DriveItemRecord): string {
  return `users('${item.ownerId}')/drive/items`;
}

function getItem(context: RouteContext) {
  const item = requireItem(context);
  return entityResponse(context, driveItemJson(item, context.downloadUrl(item.id)), "driveItem", itemContextPath(item));
}

function getContent(context: RouteContext) {
  return redirect(context.downloadUrl(requireItem(context).id));
}

/** Replaces the content; 200 with the updated item, like Graph for an existing item. */
function putContent(context: RouteContext) {
  const item = requireItem(context);
  const { bytes, contentType } = readBytes(context.request);
  item.content = Buffer.from(bytes);
  item.mimeType = contentType;
  item.lastModifiedDateTime = isoDate(Date.now());
  return entityResponse(context, driveItemJson(item, context.downloadUrl(item.id)), "driveItem", itemContextPath(item));
}

/** GET /_download/{itemId}?sig=...: the bytes, as application/octet-stream. */
export function serveDownload(directory: Directory, signer: DownloadSigner, url: URL): ResourceResponse {
  const itemId = decodeURIComponent(url.pathname.slice(DOWNLOAD_PREFIX.length));
  if (!signer.verify(itemId, url.searchParams.get("sig"))) {
    throw new GraphError(401, "unauthenticated", "The download URL is invalid or its signature does not match.");
  }
  const item = directory.findDriveItemById(itemId);
  if (!item) throw resourceNotFound("The resource could not be found.");
  return bytesResponse(200, item.content, "application/octet-stream");
}

export const driveRoutes: Route[] = [
  { pattern: "/users/{id}/drive/items/{iid}", handlers: { GET: getItem } },
  { pattern: "/users/{id}/drive/items/{iid}/content", handlers: { GET: getContent, PUT: putContent } },
];
