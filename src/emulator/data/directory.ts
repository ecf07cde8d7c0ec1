/**
 * The in-memory store. Users and groups are generated up front (cheap: a few
 * small objects each); mailboxes, drives and photos only when first touched, so
 * a directory of many thousands of users starts in milliseconds.
 */
import {
  generateDriveItem,
  generateGroup,
  generateMessage,
  generatePhoto,
  generateUser,
  isoDate,
  messageId,
} from "./generate";
import type {
  DataShape,
  DriveItemRecord,
  GroupRecord,
  MessageRecord,
  PhotoRecord,
  UserRecord,
} from "./records";

export const DEFAULT_DATA_SHAPE: Readonly<DataShape> = {
  users: 30,
  groups: 10,
  membersPerGroup: 8,
  ownersPerGroup: 2,
  messagesPerUser: 5,
  driveItemsPerUser: 3,
};

/** Messages created through the API get timestamps after all generated ones. */
const CREATED_MESSAGES_EPOCH = Date.UTC(2024, 2, 1, 10, 0, 0);

interface Mailbox {
  /** Map keeps insertion order, which is the listing order, with O(1) delete. */
  messages: Map<string, MessageRecord>;
  nextNumber: number;
}

/** Fields a caller may set when creating a message. */
export interface NewMessage {
  /** Subject line (default empty). */
  subject?: string;
  /** Body (default empty text). */
  body?: {
    /** "text" (default) or "html". */
    contentType?: "text" | "html";
    /** The body itself. */
    content?: string;
  };
  /** Read flag (default false). */
  isRead?: boolean;
}

/** The emulator's data: users, groups, mailboxes, drives and photos, generated from the seed. */
export class Directory {
  /** All users in id order; `users[0]` is `/me`. */
  readonly users: readonly UserRecord[];
  /** All groups in id order. */
  readonly groups: readonly GroupRecord[];
  /** The sizes the data was generated with. */
  readonly shape: Readonly<DataShape>;

  private readonly seed: number;
  /** Lookups are case-insensitive, like Graph's: keys are lower-cased. */
  private readonly usersByKey = new Map<string, { user: UserRecord; index: number }>();
  private readonly groupsById = new Map<string, GroupRecord>();
  private readonly memberSets = new Map<string, Set<string>>();
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly drives = new Map<string, Map<string, DriveItemRecord>>();
  private readonly driveItemsById = new Map<string, DriveItemRecord>();
  private readonly photos = new Map<string, PhotoRecord>();

  constructor(seed: number, shape: Partial<DataShape> = {}) {
    this.seed = seed;
    this.shape = normalizeShape(shape);
    const users: UserRecord[] = [];
    for (let i = 0; i < this.shape.users; i++) {
      const user = generateUser(seed, i, this.shape.users);
      users.push(user);
      this.usersByKey.set(user.id.toLowerCase(), { user, index: i });
      this.usersByKey.set(user.userPrincipalName.toLowerCase(), { user, index: i });
    }
    const groups: GroupRecord[] = [];
    for (let i = 0; i < this.shape.groups; i++) {
      const group = generateGroup(seed, i, this.shape.groups, users, this.shape.membersPerGroup, this.shape.ownersPerGroup);
      groups.push(group);
      this.groupsById.set(group.id.toLowerCase(), group);
      this.memberSets.set(group.id, new Set(group.memberIds));
    }
    this.users = users;
    this.groups = groups;
  }

  /** The signed-in user of `/me`. */
  get me(): UserRecord {
    return this.users[0];
  }

  /** By id or userPrincipalName, case-insensitively. */
  findUser(idOrUpn: string): UserRecord | undefined {
    return this.usersByKey.get(idOrUpn.toLowerCase())?.user;
  }

  /** The group with this id (case-insensitive), if any. */
  findGroup(id: string): GroupRecord | undefined {
    return this.groupsById.get(id.toLowerCase());
  }

  /** Whether the user (by id or userPrincipalName) is a member of the group. */
  isMember(group: GroupRecord, userId: string): boolean {
    return this.memberSets.get(group.id)?.has(userId) ?? false;
  }

  /** Adds a member; false when the user already was one. */
  addMember(group: GroupRecord, userId: string): boolean {
    const members = this.memberSets.get(group.id);
    if (!members || members.has(userId)) return false;
    members.add(userId);
    group.memberIds.push(userId);
    return true;
  }

  /** The user's messages in mailbox order (a snapshot; empty for an unknown user). */
  messages(userId: string): MessageRecord[] {
    const mailbox = this.mailbox(userId);
    return mailbox ? [...mailbox.messages.values()] : [];
  }

  /** A message of the user's mailbox, if it exists. */
  findMessage(userId: string, id: string): MessageRecord | undefined {
    return this.mailbox(userId)?.messages.get(id.toLowerCase());
  }

  /** Creates a message in the user's mailbox, as POST /users/{id}/messages does, and returns it. */
  addMessage(userId: string, input: NewMessage): MessageRecord {
    const mailbox = this.mailbox(userId);
    if (!mailbox) throw new Error(`Unknown user ${userId}`);
    const content = input.body?.content ?? "";
    const n = mailbox.nextNumber++;
    const message: MessageRecord = {
      id: messageId(this.requireUser(userId).id, n),
      subject: input.subject ?? "",
      bodyPreview: previewOf(content),
      body: { contentType: input.body?.contentType ?? "text", content },
      isRead: input.isRead ?? false,
      // Deterministic on purpose (same seed, same run): creation order, not wall clock.
      receivedDateTime: isoDate(CREATED_MESSAGES_EPOCH + n * 1000),
    };
    mailbox.messages.set(message.id.toLowerCase(), message);
    return message;
  }

  /** Deletes a message; false when there was none. */
  deleteMessage(userId: string, id: string): boolean {
    return this.mailbox(userId)?.messages.delete(id.toLowerCase()) ?? false;
  }

  /** The user's drive items (empty for an unknown user). */
  driveItems(userId: string): DriveItemRecord[] {
    const drive = this.drive(userId);
    return drive ? [...drive.values()] : [];
  }

  /** A file of the user's drive, if it exists. */
  findDriveItem(userId: string, id: string): DriveItemRecord | undefined {
    return this.drive(userId)?.get(id.toLowerCase());
  }

  /**
   * By item id alone, for download URLs. Only items whose drive was already
   * materialized are found, which is always the case for a URL the emulator
   * handed out.
   */
  findDriveItemById(id: string): DriveItemRecord | undefined {
    return this.driveItemsById.get(id.toLowerCase());
  }

  /** The user's photo: the uploaded one, or a generated JPEG. */
  photo(userId: string): PhotoRecord | undefined {
    const entry = this.usersByKey.get(userId.toLowerCase());
    if (!entry) return undefined;
    return this.photos.get(entry.user.id) ?? generatePhoto(this.seed, entry.index);
  }

  /** Replaces the user's photo, as PUT /users/{id}/photo/$value does. */
  setPhoto(userId: string, photo: PhotoRecord): void {
    this.photos.set(this.requireUser(userId).id, photo);
  }

  private requireUser(userId: string): UserRecord {
    const user = this.findUser(userId);
    if (!user) throw new Error(`Unknown user ${userId}`);
    return user;
  }

  private mailbox(userId: string): Mailbox | undefined {
    const entry = this.usersByKey.get(userId.toLowerCase());
    if (!entry) return undefined;
    let mailbox = this.mailboxes.get(entry.user.id);
    if (!mailbox) {
      mailbox = { messages: new Map(), nextNumber: this.shape.messagesPerUser + 1 };
      for (let n = 1; n <= this.shape.messagesPerUser; n++) {
        const message = generateMessage(this.seed, entry.user, entry.index, n);
        mailbox.messages.set(message.id.toLowerCase(), message);
      }
      this.mailboxes.set(entry.user.id, mailbox);
    }
    return mailbox;
  }

  private drive(userId: string): Map<string, DriveItemRecord> | undefined {
    const entry = this.usersByKey.get(userId.toLowerCase());
    if (!entry) return undefined;
    let drive = this.drives.get(entry.user.id);
    if (!drive) {
      drive = new Map();
      for (let n = 1; n <= this.shape.driveItemsPerUser; n++) {
        const item = generateDriveItem(this.seed, entry.user, entry.index, n);
        drive.set(item.id.toLowerCase(), item);
        this.driveItemsById.set(item.id.toLowerCase(), item);
      }
      this.drives.set(entry.user.id, drive);
    }
    return drive;
  }
}

/** Graph's bodyPreview: the first 255 characters of the text, tags stripped. */
export function previewOf(content: string): string {
  return content.replace(/<[^>]*>/g, "").slice(0, 255);
}

function normalizeShape(shape: Partial<DataShape>): DataShape {
  const result = { ...DEFAULT_DATA_SHAPE };
  for (const key of Object.keys(result) as (keyof DataShape)[]) {
    const value = shape[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`data.${key} must be a non-negative integer (got ${value})`);
    }
    result[key] = value;
  }
  if (result.users < 1) throw new RangeError("data.users must be at least 1: /me is the first user");
  return result;
}
