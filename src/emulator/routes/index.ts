/**
 * Resolves a resource request to its handler and runs it. Everything here is
 * synchronous and free of timing concerns: throttling, service time and
 * faults are applied by the executor around it.
 */
import type { Directory } from "../data/directory";
import type { ResourceRequest, ResourceResponse } from "../exchange";
import { methodNotAllowed, resourceNotFound } from "../graph-error";
import { driveRoutes, type DownloadSigner } from "./drive";
import { groupRoutes } from "./groups";
import { messageRoutes } from "./messages";
import { Router } from "./router";
import { userRoutes } from "./users";

const router = new Router([...userRoutes, ...messageRoutes, ...groupRoutes, ...driveRoutes]);

const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

export interface DispatchEnvironment {
  directory: Directory;
  /** "http://127.0.0.1:PORT" */
  baseUrl: string;
  signer: DownloadSigner;
  /** Called with `${METHOD} ${path}` for every write that reaches a handler, whatever it answers. */
  onWrite(key: string): void;
}

/** Runs the request against the store. Throws GraphError for any Graph-shaped failure. */
export function dispatch(request: ResourceRequest, environment: DispatchEnvironment): ResourceResponse {
  const segments = withMeAlias(request.path.split("/").filter((segment) => segment.length > 0), environment.directory);
  const match = router.match(request.method, segments);
  if (match.kind === "not-found") {
    throw resourceNotFound(`Resource not found for the segment '${match.segment}'.`);
  }
  if (match.kind === "method-not-allowed") throw methodNotAllowed(match.allowed);
  if (WRITE_METHODS.has(request.method)) environment.onWrite(`${request.method} ${request.path}`);
  return match.handler({
    request,
    params: match.params,
    directory: environment.directory,
    serviceRoot: `${environment.baseUrl}/${request.version}`,
    downloadUrl: (itemId) => environment.signer.url(itemId),
  });
}

/** `/me/...` is `/users/{first user}/...`. */
function withMeAlias(segments: string[], directory: Directory): string[] {
  if (segments[0]?.toLowerCase() !== "me") return segments;
  return ["users", directory.me.id, ...segments.slice(1)];
}
