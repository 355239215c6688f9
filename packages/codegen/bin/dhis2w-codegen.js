#!/usr/bin/env node
// `dhis2w-codegen` in a checkout: the built cli.js when there is one, else the sources (scripts/run-bin.mjs).
import { runBin } from "../../../scripts/run-bin.mjs";

await runBin(import.meta.url, "../dist/cli.js", "../src/cli.ts");
