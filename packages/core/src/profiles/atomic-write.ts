import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { chmod, rename as fsRename, mkdir, open, rm, stat } from "node:fs/promises";
import path from "node:path";

/**
 * Seams for the file write, so tests can simulate a crash between writing the temp file and
 * swapping it in (the old file must then be intact).
 */
export interface AtomicWriteHooks {
  /** Replaces `fs.promises.rename` for the final swap. */
  rename?: (from: string, to: string) => Promise<void>;
  /** Runs after the temp file is written and synced, before the swap; throwing aborts the write. */
  afterTempWrite?: (tempPath: string) => Promise<void> | void;
}

/** Mode of every file we write: it can hold tokens and passwords. */
export const SECRET_FILE_MODE = 0o600;
/** Mode of every folder we create. */
export const SECRET_DIR_MODE = 0o700;

/**
 * Writes `text` to `file` atomically: a temp file (mode 0600) in the same folder, fsync, rename
 * over the target, fsync the folder. Readers see the old or the new file, never half of one; the
 * result is 0600 even when the old file was looser. Missing folders are created with mode 0700.
 *
 * @example
 * ```ts
 * await writeFileAtomic("/home/me/.config/dhis2/profiles.toml", 'default = "dev"\n');
 * ```
 */
export async function writeFileAtomic(
  file: string,
  text: string,
  hooks: AtomicWriteHooks = {},
): Promise<void> {
  const dir = path.dirname(file);
  await ensureDir(dir);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let swapped = false;
  try {
    const handle = await open(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
      SECRET_FILE_MODE,
    );
    try {
      await handle.writeFile(text, "utf8");
      // The umask can only remove bits, but an explicit chmod makes the mode exact everywhere.
      await handle.chmod(SECRET_FILE_MODE);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await hooks.afterTempWrite?.(temp);
    await (hooks.rename ?? fsRename)(temp, file);
    swapped = true;
    await syncDir(dir);
  } finally {
    if (!swapped) await rm(temp, { force: true });
  }
}

async function ensureDir(dir: string): Promise<void> {
  const existed = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (existed) return;
  await mkdir(dir, { recursive: true, mode: SECRET_DIR_MODE });
  await chmod(dir, SECRET_DIR_MODE);
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some platforms (Windows) cannot open a folder: best effort.
  try {
    const handle = await open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* durability of the directory entry is best effort */
  }
}
