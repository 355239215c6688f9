/**
 * Users, sharing and the org unit tree as services shared by the CLI (`d2w user`, `d2w sharing`,
 * `d2w org-unit`) and the MCP server (`users_list`, `user_assign_org_units`). Users are named by
 * username or UID, user groups by UID or exact name: resolved here, once, before any write.
 */
import {
  type Dhis2Client,
  isValidUid,
  ObjectNotFoundError,
  type OrganisationUnitLevel,
  type OrganisationUnitNode,
  type OrganisationUnitScopes,
  type Sharing,
  type SharingUpdate,
  type UserOrganisationUnits,
  type UserSummary,
  UsersInputError,
} from "@dhis2w/client";
import { type ServiceOptions, type ServiceTarget, withClient } from "./target.js";

/** Options of {@link listUsers}. */
export interface ListUsersOptions {
  /** Part of a name, username or e-mail (DHIS2's `query=`). */
  query?: string;
  /** Metadata filters, e.g. `["disabled:eq:true"]`. */
  filters?: string[];
  /** At most this many (`truncated` says whether there were more). */
  limit?: number;
}

/**
 * Users, ordered by username.
 *
 * @example
 * ```ts
 * const { users } = await listUsers(resolveProfile(), { query: "traore" });
 * ```
 */
export function listUsers(
  target: ServiceTarget,
  options: ListUsersOptions = {},
  serviceOptions?: ServiceOptions,
): Promise<{ users: UserSummary[]; truncated: boolean }> {
  const { limit, ...rest } = options;
  return withClient(
    target,
    async (client) => {
      const users: UserSummary[] = [];
      const pageSize = limit !== undefined ? Math.min(Math.max(limit + 1, 1), 1000) : 100;
      for await (const u of client.users.list({ ...rest, pageSize })) {
        if (limit !== undefined && users.length >= limit) return { users, truncated: true };
        users.push(u);
      }
      return { users, truncated: false };
    },
    serviceOptions,
  );
}

/**
 * One user by username or UID.
 *
 * @example
 * ```ts
 * const admin = await findUser(resolveProfile(), "admin");
 * ```
 */
export function findUser(
  target: ServiceTarget,
  user: string,
  options?: ServiceOptions,
): Promise<UserSummary> {
  return withClient(target, (client) => client.users.get(user), options);
}

/** A user group by UID or exact name. */
async function groupUid(client: Dhis2Client, op: string, group: string): Promise<string> {
  if (typeof group !== "string" || group.trim() === "") {
    throw new UsersInputError(`${op}: give a user group UID or name`, "group");
  }
  const raw = (await client.getRaw("/api/userGroups", {
    params: {
      filter: isValidUid(group) ? [`id:eq:${group}`, `name:eq:${group}`] : [`name:eq:${group}`],
      rootJunction: "OR",
      fields: "id,name",
      paging: "false",
    },
  })) as { userGroups?: { id: string; name?: string }[] };
  const found = raw.userGroups ?? [];
  const exact = found.find((g) => g.id === group) ?? found[0];
  if (!exact) throw new ObjectNotFoundError(op, "userGroup", [group]);
  if (found.length > 1 && exact.id !== group) {
    throw new UsersInputError(
      `${op}: ${found.length} user groups are named "${group}" (${found.map((g) => g.id).join(", ")}); give the UID`,
      "group",
    );
  }
  return exact.id;
}

/**
 * Gives a user (username or UID) org units for capture, view and search; adds unless `replace`.
 * The connected user's own new capture scope applies to its next data write at once.
 *
 * @example
 * ```ts
 * await assignUserOrganisationUnits(resolveProfile(), "admin", { capture: ["ImspTQPwCqd"] });
 * ```
 */
export function assignUserOrganisationUnits(
  target: ServiceTarget,
  user: string,
  units: OrganisationUnitScopes,
  options: { replace?: boolean; clearCache?: boolean } = {},
  serviceOptions?: ServiceOptions,
): Promise<UserOrganisationUnits & { username: string }> {
  return withClient(
    target,
    async (client) => {
      const found = await client.users.get(user);
      const done = await client.users.assignOrganisationUnits(found.id, units, options);
      return { ...done, username: found.username };
    },
    serviceOptions,
  );
}

/**
 * Adds a user (username or UID) to a user group (UID or exact name).
 *
 * @example
 * ```ts
 * await addUserToGroup(resolveProfile(), "district", "Data managers");
 * ```
 */
export function addUserToGroup(
  target: ServiceTarget,
  user: string,
  group: string,
  options?: ServiceOptions,
): Promise<{ user: string; group: string; changed: boolean }> {
  return withClient(
    target,
    async (client) => {
      const u = await client.users.get(user);
      const g = await groupUid(client, "users.addToGroup", group);
      return { user: u.id, group: g, ...(await client.users.addToGroup(u.id, g)) };
    },
    options,
  );
}

/**
 * Removes a user (username or UID) from a user group (UID or exact name).
 *
 * @example
 * ```ts
 * await removeUserFromGroup(resolveProfile(), "district", "wl5cDMuUhmF");
 * ```
 */
export function removeUserFromGroup(
  target: ServiceTarget,
  user: string,
  group: string,
  options?: ServiceOptions,
): Promise<{ user: string; group: string; changed: boolean }> {
  return withClient(
    target,
    async (client) => {
      const u = await client.users.get(user);
      const g = await groupUid(client, "users.removeFromGroup", group);
      return { user: u.id, group: g, ...(await client.users.removeFromGroup(u.id, g)) };
    },
    options,
  );
}

/**
 * Disables (`disabled: true`) or enables a user (username or UID).
 *
 * @example
 * ```ts
 * await setUserDisabled(resolveProfile(), "district", true);
 * ```
 */
export function setUserDisabled(
  target: ServiceTarget,
  user: string,
  disabled: boolean,
  options?: ServiceOptions,
): Promise<{ user: string; username: string; changed: boolean }> {
  return withClient(
    target,
    async (client) => {
      const u = await client.users.get(user);
      const { changed } = disabled ? await client.users.disable(u.id) : await client.users.enable(u.id);
      return { user: u.id, username: u.username, changed };
    },
    options,
  );
}

/**
 * The sharing of one object (`type` singular or plural: `dataSet`, `dataSets`).
 *
 * @example
 * ```ts
 * const s = await getSharing(resolveProfile(), "dataSet", "BfMAe6Itzgt");
 * ```
 */
export function getSharing(
  target: ServiceTarget,
  type: string,
  uid: string,
  options?: ServiceOptions,
): Promise<Sharing> {
  return withClient(target, (client) => client.sharing.get(type, uid), options);
}

/**
 * Changes the sharing of one object (what `update` leaves out stays) and returns it as stored.
 *
 * @example
 * ```ts
 * await setSharing(resolveProfile(), "dataSet", "BfMAe6Itzgt", { public: "r-------" });
 * ```
 */
export function setSharing(
  target: ServiceTarget,
  type: string,
  uid: string,
  update: SharingUpdate,
  options?: ServiceOptions,
): Promise<Sharing> {
  return withClient(target, (client) => client.sharing.set(type, uid, update), options);
}

/** Which part of the tree {@link orgUnitTree} returns. */
export type OrgUnitTreeQuery =
  | { kind: "children"; fields?: string }
  | { kind: "ancestors"; fields?: string }
  | { kind: "descendants"; level?: number; fields?: string; limit?: number };

/**
 * Children, ancestors (root first) or descendants (parents first; `limit` caps them) of an org
 * unit.
 *
 * @example
 * ```ts
 * const { units } = await orgUnitTree(resolveProfile(), "ImspTQPwCqd", { kind: "descendants", level: 3 });
 * ```
 */
export function orgUnitTree(
  target: ServiceTarget,
  uid: string,
  query: OrgUnitTreeQuery,
  options?: ServiceOptions,
): Promise<{ units: OrganisationUnitNode[]; truncated: boolean }> {
  return withClient(
    target,
    async (client) => {
      const fields = query.fields !== undefined ? { fields: query.fields } : {};
      if (query.kind === "children")
        return { units: await client.organisationUnits.children(uid, fields), truncated: false };
      if (query.kind === "ancestors")
        return { units: await client.organisationUnits.ancestors(uid, fields), truncated: false };
      const units: OrganisationUnitNode[] = [];
      const stream = client.organisationUnits.descendants(uid, {
        ...fields,
        level: query.level,
      });
      for await (const u of stream) {
        if (query.limit !== undefined && units.length >= query.limit) return { units, truncated: true };
        units.push(u);
      }
      return { units, truncated: false };
    },
    options,
  );
}

/**
 * The levels of the org unit hierarchy, root first.
 *
 * @example
 * ```ts
 * const levels = await orgUnitLevels(resolveProfile());
 * ```
 */
export function orgUnitLevels(
  target: ServiceTarget,
  options?: ServiceOptions,
): Promise<OrganisationUnitLevel[]> {
  return withClient(target, (client) => client.organisationUnits.levels(), options);
}
