import { analyticsStream } from "./analytics-stream.js";
import { bundleSize } from "./bundle-size.js";
import { clientOverhead } from "./client-overhead.js";
import { dataValuesImport } from "./data-values-import.js";
import type { Benchmark } from "./harness.js";
import { importTime } from "./import-time.js";
import { iterateOrgUnits } from "./iterate-org-units.js";
import { typeCheck } from "./type-check.js";

/** Every benchmark `npm run bench` knows; add a file and a line here. */
export const BENCHMARKS: readonly Benchmark[] = [
  clientOverhead,
  iterateOrgUnits,
  importTime,
  analyticsStream,
  dataValuesImport,
  typeCheck,
  bundleSize,
];
