/**
 * Who holds a refresh lock, and whether that process is still alive. A lock row names its owner
 * as `pid@host#pidns#random`. A waiter on the same host and in the same PID namespace asks the
 * kernel (`kill(pid, 0)`): ESRCH means the holder died (killed, crashed, Ctrl-C mid-refresh) and
 * its lock is taken over at once instead of after the TTL. Anywhere else (another container with
 * its own PID namespace sharing the folder, where the same number is another process) the TTL is
 * the only evidence, so nothing is concluded from the PID.
 */
import { randomBytes } from "node:crypto";
import { readlinkSync } from "node:fs";
import os from "node:os";

/** This process's PID namespace (Linux), `""` where there is none to tell. */
function pidNamespace(): string {
  try {
    return readlinkSync("/proc/self/ns/pid");
  } catch {
    return "";
  }
}

const HOST = os.hostname();
const PID_NS = pidNamespace();

/** A new owner id for one lock attempt of this process. */
export function newLockOwner(): string {
  return `${process.pid}@${HOST}#${PID_NS}#${randomBytes(8).toString("hex")}`;
}

/** The PID part of an owner id (for messages), also of the older `pid:random` form. */
export function ownerPid(owner: string): string {
  return /^(\d+)/.exec(owner)?.[1] ?? "unknown";
}

/**
 * True only when the owner is certainly dead: a process of this host and PID namespace that no
 * longer exists. Unknown forms, other hosts, other namespaces and this very process say false.
 */
export function ownerIsDead(owner: string): boolean {
  const m = /^(\d+)@([^#]*)#([^#]*)#[0-9a-f]+$/.exec(owner);
  if (!m || m[2] !== HOST || m[3] !== PID_NS) return false;
  const pid = Number(m[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0); // signal 0: only checks that the process exists
    return false;
  } catch (error) {
    // EPERM: it exists, owned by another user. Only ESRCH proves it is gone.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
