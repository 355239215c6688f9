export {
  createUsers,
  type OrganisationUnitScopes,
  type UserOrganisationUnits,
  type UserSummary,
  UsersApi,
  type UsersHttp,
  UsersInputError,
  type UsersListOptions,
} from "./users.js";
