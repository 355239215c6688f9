import { parseArgs } from "@dhis2w/mcp";
import { describe, expect, it } from "vitest";

describe("d2w-mcp command line", () => {
  it("takes --profile NAME and --profile=NAME, else serves with the usual precedence", () => {
    expect(parseArgs([])).toEqual({ kind: "serve", profileName: undefined });
    expect(parseArgs(["--profile", "dev"])).toEqual({ kind: "serve", profileName: "dev" });
    expect(parseArgs(["--profile=staging"])).toEqual({ kind: "serve", profileName: "staging" });
    expect(parseArgs(["--help"])).toEqual({ kind: "help" });
    expect(parseArgs(["--version"])).toEqual({ kind: "version" });
  });

  it("names what is wrong with a bad command line", () => {
    expect(parseArgs(["--profile"])).toEqual({ kind: "error", message: "--profile needs a profile name" });
    expect(parseArgs(["--profile", "--help"])).toMatchObject({ kind: "error" });
    expect(parseArgs(["--porfile", "dev"])).toEqual({
      kind: "error",
      message: 'unknown argument "--porfile"',
    });
  });
});
