/**
 * The service side of Graph's scoped throttling: which limit a request counts against, and
 * Outlook's concurrency limit per app and mailbox. The client (src/engine/scope.ts) has to infer
 * scopes from URLs without knowing who `/me` is; the service knows, so `/me/messages` and
 * `/users/{my id}/messages` are one mailbox here.
 *
 * | path (below the version)                                          | scope                 |
 * | ----------------------------------------------------------------- | --------------------- |
 * | `/users/{id}/{outlook}…`, `/me/{outlook}…`                        | `mailbox:{id}`        |
 * | `/groups/{id}/conversations|threads|events|calendar|calendarView…` | `mailbox:group:{id}`  |
 * | `/sites…`, `/drives…`, `/shares…`, `…/drive…`                      | `sharepoint`          |
 * | `/teams/{id}…`                                                    | `team:{id}`           |
 * | `/teams`, `/chats…`, `/teamwork…`                                 | `teams`               |
 * | `/users…`, `/groups…`, `/me`, `/directoryObjects…`, …             | `directory`           |
 * | anything else                                                     | `other`               |
 */

const OUTLOOK = /^(messages|mailfolders|events|calendar|calendars|calendarview|calendargroups|contacts|contactfolders|people|photo|photos|mailboxsettings|inferenceclassification|outlook|sendmail)$/;
const GROUP_MAILBOX = /^(conversations|threads|events|calendar|calendarview)$/;
const DIRECTORY = /^(users|groups|me|directoryobjects|directory|applications|serviceprincipals|devices|organization|directoryroles|contacts|domains)$/;

/** The throttling scope of a request path (`/users/u-0001/messages?$top=5`); `meId` is who `/me` is. */
export function throttlingScopeOf(path: string, meId: string): string {
  const segments = path.split(/[?#]/)[0].split("/").filter(Boolean);
  const root = segments[0]?.toLowerCase() ?? "";
  const owner = root === "me" ? meId.toLowerCase() : segments[1]?.toLowerCase();
  const sub = (root === "me" ? segments[1] : segments[2])?.toLowerCase();
  if ((root === "users" || root === "me") && owner && sub) {
    if (OUTLOOK.test(sub)) return `mailbox:${owner}`;
    if (sub === "drive" || sub === "drives") return "sharepoint";
  }
  if (root === "groups" && owner && sub) {
    if (GROUP_MAILBOX.test(sub)) return `mailbox:group:${owner}`;
    if (sub === "drive" || sub === "drives" || sub === "sites") return "sharepoint";
  }
  if (root === "sites" || root === "drives" || root === "shares") return "sharepoint";
  if (root === "teams") return segments[1] ? `team:${segments[1].toLowerCase()}` : "teams";
  if (root === "chats" || root === "teamwork") return "teams";
  if (DIRECTORY.test(root)) return "directory";
  return "other";
}

/**
 * Outlook's "4 concurrent requests per app and mailbox". A request holds a slot while it
 * executes. Inside one `$batch`, Graph queues a mailbox's requests itself, so a request whose
 * own call already holds a slot of that mailbox waits for one; a request from a call that holds
 * none, finding every slot taken (by other calls), is refused with a 429.
 */
export class MailboxSlots {
  private readonly executing = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  /** Slots held per HTTP call, per key. */
  private readonly held = new WeakMap<object, Map<string, number>>();

  constructor(private readonly limit: number) {}

  /** Takes a slot for `key` (app and mailbox) on behalf of `call`; false when the request must be refused. */
  async acquire(key: string, call: object): Promise<boolean> {
    let mine = this.held.get(call);
    if (!mine) this.held.set(call, (mine = new Map()));
    while ((this.executing.get(key) ?? 0) >= this.limit) {
      if ((mine.get(key) ?? 0) === 0) return false;
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(key) ?? [];
        queue.push(resolve);
        this.waiting.set(key, queue);
      });
    }
    this.executing.set(key, (this.executing.get(key) ?? 0) + 1);
    mine.set(key, (mine.get(key) ?? 0) + 1);
    return true;
  }

  release(key: string, call: object): void {
    const left = (this.executing.get(key) ?? 1) - 1;
    if (left === 0) this.executing.delete(key);
    else this.executing.set(key, left);
    const mine = this.held.get(call);
    if (mine) mine.set(key, (mine.get(key) ?? 1) - 1);
    const queue = this.waiting.get(key);
    const next = queue?.shift();
    if (queue && queue.length === 0) this.waiting.delete(key);
    next?.();
  }
}
