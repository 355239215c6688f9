import type { EmulatorState } from "../state.js";
import type { EmulatorUser } from "../users.js";
import { SEED_TIMESTAMP } from "./context.js";

/** Well-known accounts every emulator has (seed "empty" included). */
export const DEMO_USERS = {
  admin: { id: "M5zQapPyTZI", username: "admin", password: "district" },
  district: { id: "DXyJmlo9rge", username: "district", password: "district" },
} as const;

/** Well-known user roles. */
export const DEMO_ROLES = {
  superuser: { id: "yrB6vc5Ip3r", name: "Superuser" },
  dataEntry: { id: "Euq3XfEIEbx", name: "Data entry clerk" },
} as const;

const DATA_ENTRY_AUTHORITIES = [
  "M_dhis-web-aggregate-data-entry",
  "M_dhis-web-dashboard",
  "F_DATAVALUE_ADD",
  "F_DATAVALUE_DELETE",
  "F_VIEW_UNAPPROVED_DATA",
];

/**
 * Adds `admin` (superuser, password `district`, like DHIS2's demo databases) and `district` (a
 * data entry clerk, password `district`). The seed assigns their org units.
 */
export function addDefaultUsers(state: EmulatorState): { admin: EmulatorUser; district: EmulatorUser } {
  const admin = state.users.add({
    ...DEMO_USERS.admin,
    firstName: "John",
    surname: "Traore",
    email: "admin@dhis2.invalid",
    authorities: ["ALL"],
    userRoles: [DEMO_ROLES.superuser],
    openId: "admin@dhis2.invalid",
    created: SEED_TIMESTAMP,
    lastUpdated: SEED_TIMESTAMP,
  });
  const district = state.users.add({
    ...DEMO_USERS.district,
    firstName: "Ama",
    surname: "Mensah",
    email: "district@dhis2.invalid",
    authorities: DATA_ENTRY_AUTHORITIES,
    userRoles: [DEMO_ROLES.dataEntry],
    created: SEED_TIMESTAMP,
    lastUpdated: SEED_TIMESTAMP,
  });
  return { admin, district };
}

/** Mirrors the accounts into `state.metadata` (`users`, `userRoles`) in wire shape, without secrets. */
export function syncUsersToMetadata(state: EmulatorState): void {
  const stamp = SEED_TIMESTAMP;
  state.metadata.put("userRoles", {
    ...DEMO_ROLES.superuser,
    created: stamp,
    lastUpdated: stamp,
    description: "Superuser",
    authorities: ["ALL"],
    users: [{ id: DEMO_USERS.admin.id }],
  });
  state.metadata.put("userRoles", {
    ...DEMO_ROLES.dataEntry,
    created: stamp,
    lastUpdated: stamp,
    description: "Enters aggregate data",
    authorities: DATA_ENTRY_AUTHORITIES,
    users: [{ id: DEMO_USERS.district.id }],
  });
  for (const u of state.users.all()) {
    const name = `${u.firstName} ${u.surname}`.trim();
    state.metadata.put("users", {
      id: u.id,
      username: u.username,
      firstName: u.firstName,
      surname: u.surname,
      name,
      email: u.email,
      created: u.created,
      lastUpdated: u.lastUpdated,
      disabled: u.disabled ?? false,
      userRoles: u.userRoles.map((r) => ({ id: r.id })),
      organisationUnits: u.organisationUnits.map((id) => ({ id })),
      dataViewOrganisationUnits: u.dataViewOrganisationUnits.map((id) => ({ id })),
      teiSearchOrganisationUnits: u.teiSearchOrganisationUnits.map((id) => ({ id })),
      userGroups: u.userGroups.map((id) => ({ id })),
    });
  }
}
