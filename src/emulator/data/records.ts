/**
 * The stored shape of the emulator's entities. Routes render these into Graph's
 * JSON representations; tests read them through `emulator.directory`.
 */

/** A user, as `/users/{id}` renders it. */
export interface UserRecord {
  /** "u-0001", "u-0002", ... */
  id: string;
  /** "Ada Lovelace". */
  displayName: string;
  /** First name. */
  givenName: string;
  /** Last name. */
  surname: string;
  /** Primary SMTP address. */
  mail: string;
  /** Sign-in name; also accepted in place of the id in URLs. */
  userPrincipalName: string;
  /** Job title. */
  jobTitle: string;
  /** Office. */
  officeLocation: string;
  /** Id of another user; null only when the directory has a single user. */
  managerId: string | null;
}

/** A group, as `/groups/{id}` renders it. */
export interface GroupRecord {
  /** "g-0001", "g-0002", ... */
  id: string;
  /** Display name. */
  displayName: string;
  /** Description. */
  description: string;
  /** Group mailbox address. */
  mail: string;
  /** Mail alias. */
  mailNickname: string;
  /** User ids, in insertion order. Mutated by POST /groups/{id}/members/$ref. */
  memberIds: string[];
  /** User ids of the owners. */
  ownerIds: string[];
}

/** A message in a user's mailbox. */
export interface MessageRecord {
  /** "m-0001-001": user number, then message number within that mailbox. */
  id: string;
  /** Subject line. */
  subject: string;
  /** The first characters of the body. */
  bodyPreview: string;
  /** The body and its type. */
  body: {
    /** "text" or "html". */
    contentType: "text" | "html";
    /** The body itself. */
    content: string;
  };
  /** Read flag (PATCH-able). */
  isRead: boolean;
  /** ISO 8601 time of arrival. */
  receivedDateTime: string;
}

/** A file in a user's OneDrive. */
export interface DriveItemRecord {
  /** "i-0001-001": user number, then item number within that drive. */
  id: string;
  /** The user whose drive holds it. */
  ownerId: string;
  /** File name. */
  name: string;
  /** Content type of its bytes (served by the download URL `/content` redirects to). */
  mimeType: string;
  /** The file's bytes. */
  content: Buffer;
  /** ISO 8601 creation time. */
  createdDateTime: string;
  /** ISO 8601 time of the last change. */
  lastModifiedDateTime: string;
}

/** A user's photo (`/users/{id}/photo/$value`). */
export interface PhotoRecord {
  /** "image/jpeg" for generated photos; what was uploaded otherwise. */
  contentType: string;
  /** The image bytes. */
  bytes: Buffer;
}

/** Sizes of the data set once defaults are applied. */
export interface DataShape {
  /** Users. */
  users: number;
  /** Groups. */
  groups: number;
  /** Distinct members per group. */
  membersPerGroup: number;
  /** Distinct owners per group. */
  ownersPerGroup: number;
  /** Messages in each mailbox. */
  messagesPerUser: number;
  /** Drive items per user. */
  driveItemsPerUser: number;
}
