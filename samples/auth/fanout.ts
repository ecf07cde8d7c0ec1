/**
 * The work the samples do, written as plain SDK calls with no thought of batching: every user's
 * manager and every group's members, all at once. One copy, so that the real run and the
 * emulator run execute the same code.
 *
 * Application permissions it needs: User.Read.All (users, managers) and GroupMember.Read.All
 * (groups, members), granted to the app registration with admin consent.
 */
import type { Client } from "@microsoft/microsoft-graph-client";

export interface Report {
  users: number;
  withManager: number;
  groups: number;
  memberships: number;
}

type Page<T> = { value: T[] };

/** The v3 client (`@microsoft/microsoft-graph-client`). */
export async function directoryReport(client: Client): Promise<Report> {
  const [users, groups] = await Promise.all([
    client.api("/users").select("id,displayName").top(20).get() as Promise<Page<{ id: string }>>,
    client.api("/groups").select("id,displayName").top(10).get() as Promise<Page<{ id: string }>>,
  ]);
  const [managers, members] = await Promise.all([
    // A user without a manager answers 404: that is an answer, not a failure.
    Promise.all(users.value.map((u) => client.api(`/users/${u.id}/manager`).select("id").get().catch((e: { statusCode?: number }) => (e.statusCode === 404 ? null : Promise.reject(e))))),
    Promise.all(groups.value.map((g) => client.api(`/groups/${g.id}/members`).select("id").get() as Promise<Page<unknown>>)),
  ]);
  return summarize(users.value.length, managers, groups.value.length, members);
}

/**
 * The Kiota-based client (`@microsoft/msgraph-sdk`, whose types come with its ESM packages): the
 * users and their managers (User.Read.All). Its groups package is not on every registry, so the
 * Kiota sample stays with users.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function directoryReportKiota(client: any): Promise<Report> {
  const users = await client.users.get({ queryParameters: { select: ["id", "displayName"], top: 20 } });
  const managers = await Promise.all(
    (users?.value ?? []).map((u: { id: string }) =>
      client.users.byUserId(u.id).manager.get().catch((e: { responseStatusCode?: number }) => (e.responseStatusCode === 404 ? null : Promise.reject(e))),
    ),
  );
  return summarize(users?.value?.length ?? 0, managers, 0, []);
}

function summarize(users: number, managers: unknown[], groups: number, members: (Page<unknown> | undefined)[]): Report {
  return {
    users,
    withManager: managers.filter((m) => m !== null && m !== undefined).length,
    groups,
    memberships: members.reduce((sum, page) => sum + (page?.value?.length ?? 0), 0),
  };
}
