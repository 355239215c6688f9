// The generator's derived `/api/schemas` snapshots (`schemas/vNN.gen.json`), imported as JSON
// modules; their shape is checked where they are read (`metadata/schema-routes.ts`).
declare module "*.gen.json" {
  const snapshot: unknown;
  export default snapshot;
}
