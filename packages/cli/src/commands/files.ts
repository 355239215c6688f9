/**
 * `d2w files upload|download`: file resources. `upload PATH` streams the file from disk and waits
 * until DHIS2 has stored it; `download ID` streams the bytes to `--out FILE` or, byte for byte,
 * to standard output.
 */
import type { FileResourceDomain } from "@dhis2w/client";
import { fileDownload, fileUpload } from "@dhis2w/core";
import { defineCommand, defineGroup } from "../define.js";
import { UsageError } from "../errors.js";

const DOMAINS = [
  "DATA_VALUE",
  "PUSH_ANALYSIS",
  "DOCUMENT",
  "MESSAGE_ATTACHMENT",
  "USER_AVATAR",
  "ORG_UNIT",
  "ICON",
  "JOB_DATA",
];

const upload = defineCommand({
  meta: {
    name: "upload",
    description: "Upload a file (streamed from disk) and print the file resource",
    examples: ["d2w files upload scan.pdf --domain DOCUMENT", "d2w --json files upload photo.jpg --no-wait"],
  },
  args: {
    path: { type: "positional", description: "the file to upload", required: true },
    domain: {
      type: "string",
      description: "what it is for: DOCUMENT, MESSAGE_ATTACHMENT, ... (DHIS2's default DATA_VALUE)",
      valueName: "domain",
    },
    name: {
      type: "string",
      description: "the name DHIS2 keeps (default: the file's name)",
      valueName: "name",
    },
    contentType: {
      type: "string",
      description: "the content type (default: from the extension)",
      valueName: "type",
    },
    wait: { type: "boolean", negate: true, description: "do not wait until the server has stored it" },
  },
  async run(args, ctx) {
    const domain = args.domain?.toUpperCase();
    if (domain !== undefined && !DOMAINS.includes(domain)) {
      throw new UsageError(`--domain ${args.domain}: use one of ${DOMAINS.join(", ")}`);
    }
    const fr = await fileUpload(
      await ctx.resolve(),
      args.path,
      {
        ...(domain ? { domain: domain as FileResourceDomain } : {}),
        ...(args.name ? { name: args.name } : {}),
        ...(args.contentType ? { contentType: args.contentType } : {}),
        wait: args.wait,
      },
      ctx.clientOptions(),
    );
    if (ctx.json) return ctx.printJson(fr);
    ctx.out(`${fr.id}  ${fr.name}  ${fr.contentLength} bytes  ${fr.domain}  ${fr.storageStatus}`);
  },
});

const download = defineCommand({
  meta: {
    name: "download",
    description: "Download a file resource's bytes to --out FILE or standard output",
    examples: ["d2w files download Ab1cD2eF3gH --out scan.pdf", "d2w files download Ab1cD2eF3gH > scan.pdf"],
  },
  args: {
    id: { type: "positional", description: "the file resource's id", required: true },
    out: {
      type: "string",
      description: "write to FILE (complete or not at all) instead of standard output",
      valueName: "file",
    },
  },
  async run(args, ctx) {
    if (args.out !== undefined) {
      const result = await fileDownload(await ctx.resolve(), args.id, args.out, ctx.clientOptions());
      if (ctx.json)
        return ctx.printJson({
          id: args.id,
          out: args.out,
          bytes: result.bytes,
          contentType: result.contentType,
        });
      ctx.err(`wrote ${result.bytes} bytes to ${args.out}`);
      return;
    }
    if (ctx.json)
      throw new UsageError(
        "files download: --json needs --out FILE (the bytes go to standard output otherwise)",
      );
    await fileDownload(
      await ctx.resolve(),
      args.id,
      async (res) => {
        if (!res.body) return;
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          if (!ctx.io.stdout.write(chunk)) await new Promise((r) => ctx.io.stdout.once("drain", r));
        }
      },
      ctx.clientOptions(),
    );
  },
});

export default defineGroup({
  meta: { name: "files", description: "Upload and download file resources" },
  subCommands: [upload, download],
});
