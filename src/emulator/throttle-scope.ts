/**
 * The service side of Graph's scoped throttling: which limit a request counts against. The client
 * (src/engine/scope.ts) has to infer scopes from URLs without knowing who `/me` is; the service
 * knows, so `/me/messages` and `/users/{my id}/messages` are one mailbox here.
 *
 * | path (below the version)                                           | scope                 |
 * | ------------------------------------------------------------------ | --------------------- |
 * | `/users/{id}/{outlook}…`, `/me/{outlook}…`                         | `mailbox:{id}`        |
 * | `/groups/{id}/conversations|threads|events|calendar|calendarView…` | `mailbox:group:{id}`  |
 * | `/sites…`, `/drives…`, `/shares…`, `…/drive…`                       | `sharepoint`          |
 * | `/teams/{id}…`, `/groups/{id}/team…`                               | `team:{id}`           |
 * | `/teams`, `/chats…`, `/teamwork…`, `…/chats…`, `…/joinedTeams…`     | `teams`               |
 * | `/users…`, `/groups…`, `/me`, `/directoryObjects…`, …              | `directory`           |
 * | anything else                                                      | `other`               |
 */

const OUTLOOK = /^(messages|mailfolders|events|calendar|calendars|calendarview|calendargroups|contacts|contactfolders|people|photo|photos|mailboxsettings|inferenceclassification|outlook|sendmail)$/;
const GROUP_MAILBOX = /^(conversations|threads|events|calendar|calendarview)$/;
const DIRECTORY = /^(users|groups|me|directoryobjects|directory|applications|serviceprincipals|devices|organization|directoryroles|contacts|domains)$/;
const SHAREPOINT = /^(drive|drives|sites)$/;
/** A user's own view of Teams: chats and joined teams count against Teams, not the directory. */
const USER_TEAMS = /^(chats|joinedteams)$/;

/**
 * The throttling scope a request counts against, as the service sees it.
 *
 * @param path - the request path below the version, with or without its query (`/users/u-0001/messages?$top=5`).
 * @param meId - who `/me` is (the emulator's first user).
 * @returns `mailbox:{id}`, `mailbox:group:{id}`, `sharepoint`, `team:{id}`, `teams`, `directory` or `other`.
 *
 * @example
 * ```ts
 * throttlingScopeOf("/me/messages", "u-0001"); // "mailbox:u-0001"
 * ```
 */
export function throttlingScopeOf(path: string, meId: string): string {
  const segments = path.split(/[?#]/)[0].split("/").filter(Boolean);
  const root = segments[0]?.toLowerCase() ?? "";
  // User and group ids compare case-insensitively in Graph, so their mailboxes do too.
  const owner = root === "me" ? meId.toLowerCase() : segments[1]?.toLowerCase();
  const sub = (root === "me" ? segments[1] : segments[2])?.toLowerCase();
  if ((root === "users" || root === "me") && owner && sub) {
    if (OUTLOOK.test(sub)) return `mailbox:${owner}`;
    if (SHAREPOINT.test(sub)) return "sharepoint";
    if (USER_TEAMS.test(sub)) return "teams";
  }
  if (root === "groups" && owner && sub) {
    if (GROUP_MAILBOX.test(sub)) return `mailbox:group:${owner}`;
    if (SHAREPOINT.test(sub)) return "sharepoint";
    // A team's id is its group's id: /groups/{id}/team is /teams/{id}.
    if (sub === "team") return `team:${owner}`;
  }
  if (root === "sites" || root === "drives" || root === "shares") return "sharepoint";
  if (root === "teams") return segments[1] ? `team:${segments[1].toLowerCase()}` : "teams";
  if (root === "chats" || root === "teamwork") return "teams";
  if (DIRECTORY.test(root)) return "directory";
  return "other";
}

const SCOPE_NAME = /^(directory|sharepoint|teams|other|mailbox:(group:)?[^\s:/]+|team:[^\s/]+)$/;

/**
 * Whether `name` can be a result of throttlingScopeOf. Checked on `scopedThrottle.buckets`:
 * a misspelt name ("mailbox/u-0002") would otherwise be a bucket that nothing is ever charged to.
 */
export function isThrottlingScopeName(name: string): boolean {
  return SCOPE_NAME.test(name);
}
