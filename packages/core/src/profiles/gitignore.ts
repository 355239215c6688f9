/**
 * The project folder `.dhis2/` holds credentials (`profiles.toml` with PATs and passwords,
 * `tokens.sqlite` with OAuth2 tokens) inside what is usually a git checkout. When dhis2w creates a
 * file there, it also writes a `.gitignore` that ignores the whole folder, so `git add .` cannot
 * pick the secrets up. An existing `.gitignore` is never touched (the user may have decided what
 * to share), and it is written only alongside a file dhis2w creates, so deleting it sticks.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_DIR_NAME } from "./paths.js";

/** What the `.gitignore` in `.dhis2/` says. `*` also ignores the `.gitignore` itself; git still reads it. */
export const PROJECT_GITIGNORE =
  "# Written by dhis2w: this folder holds credentials (profiles.toml, tokens.sqlite).\n# Never commit it.\n*\n";

/**
 * Writes `<dir>/.gitignore` when `dir` is a project `.dhis2` folder and it has none, creating the
 * folder (0700) when needed; call it before creating a secret file there. Best effort: a folder we
 * cannot write to fails the write of the secret file itself, with a clearer error.
 */
export function ensureProjectGitignore(dir: string): void {
  if (path.basename(dir) !== PROJECT_DIR_NAME) return;
  try {
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
    }
    // `wx`: create only, so an existing file (or one written by a concurrent process) is kept.
    writeFileSync(path.join(dir, ".gitignore"), PROJECT_GITIGNORE, { flag: "wx", mode: 0o644 });
  } catch {
    /* exists already, or the folder is not writable (the real write reports that) */
  }
}
