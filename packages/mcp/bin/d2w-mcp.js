#!/usr/bin/env node
// `d2w-mcp` in a checkout: the built bin.js when there is one, else the sources (scripts/run-bin.mjs).
import { runBin } from "../../../scripts/run-bin.mjs";

await runBin(import.meta.url, "../dist/bin.js", "../src/bin.ts");
