/**
 * Ordering: requests that name each other through `BatchingOptions` ({ id, dependsOn }) are kept
 * together in one batch and mapped to Graph's `dependsOn`. Graph runs only three shapes (all
 * parallel, one serial chain, all dependents on the same request); anything else is rejected
 * here, before it is sent, rather than answered 400 for the whole batch by the service.
 */
import { BatchOrderingError } from "../errors";

export interface Orderable {
  readonly orderId?: string;
  readonly dependsOn: readonly string[];
}

export interface Ordered<T> {
  /** Groups of requests that must travel in one batch, in arrival order; dependencies first. */
  units: T[][];
  /** Requests whose ordering cannot be honoured, with the reason. */
  rejected: { item: T; error: BatchOrderingError }[];
}

/** Splits the requests of one window and one group into units; `maxBatchSize` bounds a unit. */
export function orderUnits<T extends Orderable>(items: readonly T[], maxBatchSize: number): Ordered<T> {
  if (!items.some((item) => item.dependsOn.length > 0)) return { units: items.map((item) => [item]), rejected: [] };

  const rejected = new Map<T, string>();
  const byId = new Map<string, T[]>();
  for (const item of items) {
    if (item.orderId === undefined) continue;
    const key = item.orderId.toLowerCase();
    byId.set(key, [...(byId.get(key) ?? []), item]);
  }
  for (const [id, holders] of byId) {
    if (holders.length > 1) for (const item of holders) rejected.set(item, `the id "${id}" is used by ${holders.length} requests issued together`);
  }
  const depsOf = (item: T): T[] => item.dependsOn.map((dep) => byId.get(dep.toLowerCase())?.[0]).filter((d): d is T => d !== undefined);
  for (const item of items) {
    if (rejected.has(item)) continue;
    const missing = item.dependsOn.filter((dep) => !byId.has(dep.toLowerCase()));
    if (missing.length > 0) rejected.set(item, `dependsOn names ${missing.map((m) => `"${m}"`).join(", ")}, which no request issued in the same window (same host, version and identity) has as its id (issued in another window, or aborted before it was queued?)`);
    else if (item.dependsOn.some((dep) => dep.toLowerCase() === item.orderId?.toLowerCase())) rejected.set(item, "a request cannot depend on itself");
  }

  // Clusters: connected components over dependsOn edges (union-find).
  const parent = new Map<T, T>(items.map((item) => [item, item]));
  const find = (item: T): T => {
    let root = item;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(item, root);
    return root;
  };
  for (const item of items) for (const dep of depsOf(item)) parent.set(find(item), find(dep));
  const clusters = new Map<T, T[]>();
  for (const item of items) {
    const root = find(item);
    clusters.set(root, [...(clusters.get(root) ?? []), item]);
  }

  const units: T[][] = [];
  for (const members of clusters.values()) {
    if (members.length === 1) {
      if (!rejected.has(members[0])) units.push(members);
      continue;
    }
    const problem = members.find((m) => rejected.has(m))
      ? "a request it is ordered with was rejected"
      : members.length > maxBatchSize
        ? `${members.length} requests ordered together do not fit in one batch of ${maxBatchSize}`
        : undefined;
    const sorted = problem ? undefined : shapeOrder(members, depsOf);
    if (!sorted) {
      const reason = problem ?? "Graph supports only a serial chain (each request depends on the previous one) or requests that all depend on the same single request";
      for (const m of members) if (!rejected.has(m)) rejected.set(m, reason);
      continue;
    }
    units.push(sorted);
  }
  units.sort((a, b) => items.indexOf(a[0]) - items.indexOf(b[0]));
  return {
    units,
    rejected: [...rejected].map(([item, reason]) => ({ item, error: new BatchOrderingError(`Cannot order this request: ${reason}`) })),
  };
}

/** Orders a cluster if it has one of Graph's shapes (dependencies first); undefined otherwise. */
function shapeOrder<T extends Orderable>(members: T[], depsOf: (item: T) => T[]): T[] | undefined {
  const roots = members.filter((m) => m.dependsOn.length === 0);
  if (roots.length !== 1 || members.some((m) => m.dependsOn.length > 1)) return undefined;
  const root = roots[0];
  const dependents = members.filter((m) => m !== root);
  if (dependents.every((m) => depsOf(m)[0] === root)) return [root, ...dependents];
  // A serial chain: every request is the dependency of at most one other.
  const after = new Map<T, T>();
  for (const m of dependents) {
    const dep = depsOf(m)[0];
    if (after.has(dep)) return undefined;
    after.set(dep, m);
  }
  const chain = [root];
  while (after.has(chain[chain.length - 1])) chain.push(after.get(chain[chain.length - 1])!);
  return chain.length === members.length ? chain : undefined;
}
