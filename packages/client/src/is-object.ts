/**
 * True for a JSON object (not `null`, not an array): the test every parser of DHIS2's loosely
 * shaped answers starts with. Internal; not part of the package's exports.
 */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
