/**
 * Throttling scopes: which requests a 429 speaks for. Graph checks every request against the
 * limits of the service behind it, and those limits are scoped (Microsoft's "service-specific
 * throttling limits"): Outlook counts per app and mailbox, the directory per app and tenant,
 * SharePoint and OneDrive per app and tenant, Teams per team for most operations. A 429 never
 * names its scope, so it is inferred from the URL: a 429 for mailbox A then holds only mailbox A's
 * requests, while one for `/users/{id}` holds every directory request. Pure string work.
 *
 * | URL (below the version)                                                | scope                 | limit in flight |
 * | ---------------------------------------------------------------------- | --------------------- | --------------- |
 * | `/me/{outlook}…`, `/users/{id}/{outlook}…`                             | `mailbox:{id}` (`me`) | 4               |
 * | `/groups/{id}/conversations|threads|events|calendar|calendarView…`     | `mailbox:group:{id}`  | 4               |
 * | `/sites…`, `/drives…`, `/shares…`, `/me/drive…`, `/users/{id}/drive…`, `/groups/{id}/drive…` | `sharepoint` | – |
 * | `/teams/{id}…`                                                         | `team:{id}`           | –               |
 * | `/teams`, `/chats…`, `/teamwork…`, `/appCatalogs…`                     | `teams`               | –               |
 * | `/users…`, `/groups…`, `/me`, `/directoryObjects…`, `/applications…`, … | `directory`           | –               |
 * | anything else                                                          | `other`               | –               |
 *
 * `{outlook}` is one of the Outlook segments below. Scopes are per batch endpoint and identity
 * (the scheduler keys them with the group), so `me` and the user's own id are two scopes: the
 * URL cannot tell that they are the same mailbox.
 */

export interface ThrottlingScope {
  /** Stable name, e.g. `mailbox:u-0001`, `directory`. */
  readonly key: string;
  /**
   * Concurrent requests the service accepts in this scope, where it is documented: Outlook runs
   * 4 requests per app and mailbox at once (inside one batch it queues them itself).
   */
  readonly maxConcurrent?: number;
}

/** Outlook's per-mailbox concurrency limit (4 per app and mailbox). */
export const MAILBOX_CONCURRENCY = 4;

const OUTLOOK_SEGMENTS = new Set([
  "messages",
  "mailfolders",
  "events",
  "calendar",
  "calendars",
  "calendarview",
  "calendargroups",
  "contacts",
  "contactfolders",
  "people",
  "photo",
  "photos",
  "mailboxsettings",
  "inferenceclassification",
  "outlook",
  "sendmail",
  "findmeetingtimes",
  "getmailtips",
  "reminderview",
]);

const GROUP_MAILBOX_SEGMENTS = new Set(["conversations", "threads", "events", "calendar", "calendarview"]);

const SHAREPOINT_ROOTS = new Set(["sites", "drives", "shares"]);

const TEAMS_ROOTS = new Set(["chats", "teamwork", "appcatalogs"]);

const DIRECTORY_ROOTS = new Set([
  "me",
  "users",
  "groups",
  "directoryobjects",
  "directory",
  "applications",
  "serviceprincipals",
  "devices",
  "organization",
  "directoryroles",
  "directoryroletemplates",
  "contacts",
  "domains",
  "oauth2permissiongrants",
  "administrativeunits",
  "invitations",
  "subscribedskus",
  "grouplifecyclepolicies",
  "groupsettings",
  "contracts",
  "rolemanagement",
]);

function scope(key: string, maxConcurrent?: number): ThrottlingScope {
  return maxConcurrent === undefined ? { key } : { key, maxConcurrent };
}

const DIRECTORY = scope("directory");
const SHAREPOINT = scope("sharepoint");
const TEAMS = scope("teams");
const OTHER = scope("other");

/** Path segments of a relative URL, without the query; ids keep their case, names are compared lower-cased. */
function segmentsOf(relativeUrl: string): string[] {
  const end = relativeUrl.search(/[?#]/);
  const path = end < 0 ? relativeUrl : relativeUrl.slice(0, end);
  return path.split("/").filter((segment) => segment !== "");
}

/** The throttling scope of a request, from its URL relative to the version root (`/users/abc/messages?$top=5`). */
export function throttlingScopeOf(relativeUrl: string): ThrottlingScope {
  const segments = segmentsOf(relativeUrl);
  const root = segments[0]?.toLowerCase();
  if (root === undefined) return OTHER;
  // The subject's own resources: /me/x or /users/{id}/x, /groups/{id}/x.
  const [owner, sub] = root === "me" ? ["me", segments[1]?.toLowerCase()] : [segments[1]?.toLowerCase(), segments[2]?.toLowerCase()];
  if ((root === "me" || root === "users") && owner !== undefined && sub !== undefined) {
    if (OUTLOOK_SEGMENTS.has(sub)) return scope(`mailbox:${owner}`, MAILBOX_CONCURRENCY);
    if (sub === "drive" || sub === "drives") return SHAREPOINT;
  }
  if (root === "groups" && owner !== undefined && sub !== undefined) {
    if (GROUP_MAILBOX_SEGMENTS.has(sub)) return scope(`mailbox:group:${owner}`, MAILBOX_CONCURRENCY);
    if (sub === "drive" || sub === "drives" || sub === "sites") return SHAREPOINT;
  }
  if (SHAREPOINT_ROOTS.has(root)) return SHAREPOINT;
  if (root === "teams") return owner === undefined ? TEAMS : scope(`team:${owner}`);
  if (TEAMS_ROOTS.has(root)) return TEAMS;
  if (DIRECTORY_ROOTS.has(root)) return DIRECTORY;
  return OTHER;
}
