export type { PropertyType, ResourceDef, ResourceProperty, ResourceTable } from "./resource-def.js";
