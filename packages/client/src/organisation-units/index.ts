export {
  createOrganisationUnitTree,
  type DescendantsOptions,
  type OrganisationUnitLevel,
  type OrganisationUnitNode,
  type OrganisationUnitsHttp,
  OrganisationUnitTree,
  type TreeOptions,
} from "./tree.js";
