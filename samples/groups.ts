/**
 * The groups example, written as plain SDK calls with no thought of batching: the members and
 * owners of every group, all issued at once.
 */
import type { Client } from "@microsoft/microsoft-graph-client";

export interface GroupRoster {
  id: string;
  members: string[];
  owners: string[];
}

type Page = { value: Array<{ id: string }> };

/** Issues 2 requests per group; `run` lets a caller throttle them (see `limitInFlight`). */
export async function membersAndOwners(
  client: Client,
  groupIds: readonly string[],
  run: <T>(call: () => Promise<T>) => Promise<T> = (call) => call(),
): Promise<GroupRoster[]> {
  return Promise.all(
    groupIds.map(async (id) => {
      const [members, owners] = await Promise.all([
        run<Page>(() => client.api(`/groups/${id}/members`).select("id,displayName").get()),
        run<Page>(() => client.api(`/groups/${id}/owners`).select("id,displayName").get()),
      ]);
      return { id, members: members.value.map((m) => m.id), owners: owners.value.map((o) => o.id) };
    }),
  );
}

/** At most `limit` calls in flight, the rest wait in order: what a browser does per host. */
export function limitInFlight(limit: number): <T>(call: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(call: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await call();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
