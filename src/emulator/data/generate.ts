/**
 * Deterministic record factories. Each entity draws from its own PRNG stream
 * (seed + kind + index), so generating user 500 never depends on whether user
 * 499 was generated first: that is what makes lazy generation replayable.
 */
import { deriveSeed, mulberry32, pick, randomInt, sampleDistinct, type Random } from "../random";
import type { DriveItemRecord, GroupRecord, MessageRecord, PhotoRecord, UserRecord } from "./records";

const GIVEN_NAMES = [
  "Adele", "Alex", "Allan", "Diego", "Grady", "Henrietta", "Isaiah", "Johanna", "Joni", "Lee",
  "Lidia", "Lynne", "Megan", "Miriam", "Nestor", "Patti", "Pradeep", "Irvin", "Debra", "Enrico",
];
const SURNAMES = [
  "Vance", "Wilber", "Deyoung", "Soto", "Archie", "Mueller", "Langer", "Lauer", "Sherman", "Gu",
  "Holloway", "Robbins", "Bowen", "Graham", "Wilke", "Fernandez", "Gupta", "Sink", "Berg", "Rossi",
];
const JOB_TITLES = [
  "Marketing Assistant", "Product Manager", "Developer", "Designer", "Sales Lead",
  "Financial Analyst", "HR Manager", "Support Engineer", "Director", "Attorney",
];
const OFFICES = ["Paris", "Seattle", "Dublin", "Tokyo", "Sydney", "Toronto"];
const DEPARTMENTS = ["Marketing", "Engineering", "Sales", "Finance", "Legal", "Design", "Support", "Research"];
const SUBJECT_WORDS = ["Quarterly", "Budget", "Review", "Launch", "Planning", "Sync", "Offsite", "Report", "Update", "Hiring"];

const DOMAIN = "contoso.onmicrosoft.com";
/** All generated timestamps count back from this instant, so they never depend on the wall clock. */
const EPOCH = Date.UTC(2024, 2, 1, 9, 0, 0);
const HOUR = 3_600_000;

/** Zero-padded number: the width grows with the data set so ids sort lexically. */
export function numbered(prefix: string, n: number, width: number): string {
  return `${prefix}-${String(n).padStart(width, "0")}`;
}

/** Width of user/group numbers: 4 digits, more for very large data sets. */
export function idWidth(count: number): number {
  return Math.max(4, String(count).length);
}

function streamFor(seed: number, kind: string, index: number): Random {
  return mulberry32(deriveSeed(seed, kind, index));
}

/** ISO 8601 without milliseconds, the way Graph prints most timestamps. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function generateUser(seed: number, index: number, userCount: number): UserRecord {
  const random = streamFor(seed, "user", index);
  const givenName = pick(random, GIVEN_NAMES);
  const surname = pick(random, SURNAMES);
  const id = numbered("u", index + 1, idWidth(userCount));
  const mail = `${givenName}.${surname}.${id.slice(2)}@${DOMAIN}`.toLowerCase();
  // A tree rooted at user 1 (every user reports to an earlier one), except that
  // user 1 reports to user 2 so that /me/manager works in demos.
  let managerIndex: number | null = null;
  if (userCount > 1) managerIndex = index === 0 ? 1 : randomInt(random, index);
  return {
    id,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    mail,
    userPrincipalName: mail,
    jobTitle: pick(random, JOB_TITLES),
    officeLocation: pick(random, OFFICES),
    managerId: managerIndex === null ? null : numbered("u", managerIndex + 1, idWidth(userCount)),
  };
}

export function generateGroup(
  seed: number,
  index: number,
  groupCount: number,
  users: readonly UserRecord[],
  membersPerGroup: number,
  ownersPerGroup: number,
): GroupRecord {
  const random = streamFor(seed, "group", index);
  const department = pick(random, DEPARTMENTS);
  const id = numbered("g", index + 1, idWidth(groupCount));
  const nickname = `${department}${id.slice(2)}`.toLowerCase();
  return {
    id,
    displayName: `${department} ${index + 1}`,
    description: `Everyone working on ${department.toLowerCase()} (team ${index + 1}).`,
    mail: `${nickname}@${DOMAIN}`,
    mailNickname: nickname,
    memberIds: sampleDistinct(random, users.length, membersPerGroup).map((i) => users[i].id),
    ownerIds: sampleDistinct(random, users.length, ownersPerGroup).map((i) => users[i].id),
  };
}

/** Id of the n-th message (1-based) of a user's mailbox. */
export function messageId(userId: string, n: number): string {
  return `m-${userId.slice(2)}-${String(n).padStart(3, "0")}`;
}

/** Id of the n-th drive item (1-based) of a user's drive. */
export function driveItemId(userId: string, n: number): string {
  return `i-${userId.slice(2)}-${String(n).padStart(3, "0")}`;
}

export function generateMessage(seed: number, user: UserRecord, userIndex: number, n: number): MessageRecord {
  const random = streamFor(seed, `message-${n}`, userIndex);
  const subject = `${pick(random, SUBJECT_WORDS)} ${pick(random, SUBJECT_WORDS).toLowerCase()} #${n}`;
  const content = `Hi ${user.givenName}, here are the notes about "${subject}".`;
  return {
    id: messageId(user.id, n),
    subject,
    bodyPreview: content,
    body: { contentType: "text", content },
    isRead: random() < 0.5,
    receivedDateTime: isoDate(EPOCH - (userIndex * 24 + n) * HOUR),
  };
}

export function generateDriveItem(seed: number, user: UserRecord, userIndex: number, n: number): DriveItemRecord {
  const random = streamFor(seed, `drive-item-${n}`, userIndex);
  const created = isoDate(EPOCH - (userIndex * 48 + n) * HOUR);
  return {
    id: driveItemId(user.id, n),
    ownerId: user.id,
    name: `file-${String(n).padStart(3, "0")}.bin`,
    mimeType: "application/octet-stream",
    // Full byte range on purpose: base64 round trips must survive every value.
    content: randomBytes(random, 64 + randomInt(random, 192)),
    createdDateTime: created,
    lastModifiedDateTime: created,
  };
}

/**
 * A JPEG-looking photo: SOI + APP0/JFIF header, a few hundred random bytes,
 * EOI. Not decodable as an image, but it has the magic numbers clients sniff
 * and plenty of bytes >= 0x80 that break any accidental text decoding.
 */
export function generatePhoto(seed: number, userIndex: number): PhotoRecord {
  const random = streamFor(seed, "photo", userIndex);
  const header = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  ]);
  const payload = randomBytes(random, 200 + randomInt(random, 200));
  payload[0] = 0x80; // guarantee at least one high byte in the payload itself
  return { contentType: "image/jpeg", bytes: Buffer.concat([header, payload, Buffer.from([0xff, 0xd9])]) };
}

function randomBytes(random: Random, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = randomInt(random, 256);
  return bytes;
}
