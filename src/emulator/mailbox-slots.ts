/**
 * Outlook's "4 concurrent requests per app and mailbox" (the service side; throttle-scope.ts says
 * which requests are Outlook ones). A request holds a slot of its key (app and mailbox) while it
 * executes.
 *
 * Inside one `$batch`, Graph itself runs a mailbox's unordered requests at most 4 at a time, so a
 * batch never throttles itself: a request whose own HTTP call already holds a slot of the mailbox
 * waits for one, and a slot its call releases goes straight to it. Only concurrency coming from
 * *other* calls is refused: a request whose call holds no slot, finding them all taken, gets a 429.
 */

interface Waiter {
  call: object;
  grant: () => void;
}

/** One key's state. Dropped when idle, so the map stays as small as the work in progress. */
interface Mailbox {
  executing: number;
  /** Slots held per HTTP call. A call with waiters always holds at least one (see release). */
  held: Map<object, number>;
  /** In arrival order. */
  waiting: Waiter[];
}

export class MailboxSlots {
  private readonly mailboxes = new Map<string, Mailbox>();

  constructor(private readonly limit: number) {
    if (!(Number.isInteger(limit) && limit > 0)) throw new RangeError(`mailbox concurrency must be a positive integer (got ${limit})`);
  }

  /**
   * Takes a slot of `key` for a request of `call`. Resolves true once it holds one (at once, or
   * after queueing behind its own call's requests), false when it must be refused with a 429.
   */
  acquire(key: string, call: object): Promise<boolean> {
    const mailbox = this.mailboxes.get(key) ?? this.create(key);
    if (mailbox.executing < this.limit) {
      mailbox.executing++;
      hold(mailbox, call, +1);
      return Promise.resolve(true);
    }
    if (!mailbox.held.has(call)) return Promise.resolve(false);
    return new Promise((resolve) => mailbox.waiting.push({ call, grant: () => resolve(true) }));
  }

  /**
   * Gives the slot back. It goes directly to a waiter, the releasing call's own first (the slot
   * its batch frees), else the longest-waiting one: handing it over synchronously leaves no
   * moment in which a request of another call could take it, and keeps every waiting call
   * holding a slot until its queue is empty.
   */
  release(key: string, call: object): void {
    const mailbox = this.mailboxes.get(key);
    if (!mailbox) return;
    hold(mailbox, call, -1);
    const own = mailbox.waiting.findIndex((waiter) => waiter.call === call);
    const next = mailbox.waiting.splice(own >= 0 ? own : 0, 1)[0];
    if (next) {
      hold(mailbox, next.call, +1);
      next.grant();
      return;
    }
    mailbox.executing--;
    if (mailbox.executing === 0) this.mailboxes.delete(key);
  }

  private create(key: string): Mailbox {
    const mailbox: Mailbox = { executing: 0, held: new Map(), waiting: [] };
    this.mailboxes.set(key, mailbox);
    return mailbox;
  }
}

function hold(mailbox: Mailbox, call: object, delta: 1 | -1): void {
  const count = (mailbox.held.get(call) ?? 0) + delta;
  if (count > 0) mailbox.held.set(call, count);
  else mailbox.held.delete(call);
}
