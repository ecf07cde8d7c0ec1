/**
 * How stored records look on the wire: the default property sets Graph
 * returns for each type. $select works on these keys.
 */
import type { DriveItemRecord, GroupRecord, MessageRecord, UserRecord } from "../data/records";

export function userJson(user: UserRecord) {
  return {
    businessPhones: [] as string[],
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: user.jobTitle,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: user.officeLocation,
    preferredLanguage: "en-US",
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    id: user.id,
  };
}

export function groupJson(group: GroupRecord) {
  return {
    id: group.id,
    displayName: group.displayName,
    description: group.description,
    mail: group.mail,
    mailEnabled: true,
    mailNickname: group.mailNickname,
    securityEnabled: false,
    groupTypes: ["Unified"],
    visibility: "Private",
  };
}

export function messageJson(message: MessageRecord) {
  return {
    id: message.id,
    receivedDateTime: message.receivedDateTime,
    subject: message.subject,
    bodyPreview: message.bodyPreview,
    isRead: message.isRead,
    body: { ...message.body },
  };
}

export function driveItemJson(item: DriveItemRecord, downloadUrl: string) {
  return {
    "@microsoft.graph.downloadUrl": downloadUrl,
    id: item.id,
    name: item.name,
    size: item.content.length,
    createdDateTime: item.createdDateTime,
    lastModifiedDateTime: item.lastModifiedDateTime,
    file: { mimeType: item.mimeType },
    parentReference: { driveType: "business", path: "/drive/root:" },
  };
}

/** Members, owners and managers are directoryObjects: Graph tags each with its type. */
export function asDirectoryObject<T extends object>(entity: T): T & { "@odata.type": string } {
  return { "@odata.type": "#microsoft.graph.user", ...entity };
}
