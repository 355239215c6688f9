// Test probe: records every module URL the process resolves into $D2W_TRACE_FILE, so a test can
// tell which modules `d2w --help` loaded (no time limits involved).
import { register } from "node:module";

register("./trace-hooks.mjs", import.meta.url, { data: { file: process.env.D2W_TRACE_FILE } });
