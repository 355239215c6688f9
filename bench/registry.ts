import { clientOverhead } from "./client-overhead.js";
import type { Benchmark } from "./harness.js";

/** Every benchmark `npm run bench` knows; add a file and a line here. */
export const BENCHMARKS: readonly Benchmark[] = [clientOverhead];
