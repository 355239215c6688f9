#!/usr/bin/env node
import { run } from "./program.js";

const code = await run(process.argv.slice(2));
// Exit once stdout has drained: idle keep-alive sockets must not hold the process open.
process.stdout.write("", () => process.exit(code));
