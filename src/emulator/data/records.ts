/**
 * The stored shape of the emulator's entities. Routes render these into Graph's
 * JSON representations; tests read them through `emulator.directory`.
 */

export interface UserRecord {
  /** "u-0001", "u-0002", ... */
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  userPrincipalName: string;
  jobTitle: string;
  officeLocation: string;
  /** Id of another user; null only when the directory has a single user. */
  managerId: string | null;
}

export interface GroupRecord {
  /** "g-0001", "g-0002", ... */
  id: string;
  displayName: string;
  description: string;
  mail: string;
  mailNickname: string;
  /** User ids, in insertion order. Mutated by POST /groups/{id}/members/$ref. */
  memberIds: string[];
  ownerIds: string[];
}

export interface MessageRecord {
  /** "m-0001-001": user number, then message number within that mailbox. */
  id: string;
  subject: string;
  bodyPreview: string;
  body: { contentType: "text" | "html"; content: string };
  isRead: boolean;
  receivedDateTime: string;
}

export interface DriveItemRecord {
  /** "i-0001-001": user number, then item number within that drive. */
  id: string;
  ownerId: string;
  name: string;
  mimeType: string;
  content: Buffer;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface PhotoRecord {
  contentType: string;
  bytes: Buffer;
}

/** Sizes of the data set once defaults are applied. */
export interface DataShape {
  users: number;
  groups: number;
  membersPerGroup: number;
  ownersPerGroup: number;
  messagesPerUser: number;
  driveItemsPerUser: number;
}
