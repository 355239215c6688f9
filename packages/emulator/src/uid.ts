import { randomInt } from "./bytes.js";

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM = LETTERS + "0123456789";

/** DHIS2's UID shape: 11 characters, a letter first, then letters or digits (CodeGenerator.java). */
export const UID_RE = /^[a-zA-Z][a-zA-Z0-9]{10}$/;

/** True when `s` is a well-formed DHIS2 UID. */
export function isValidUid(s: unknown): s is string {
  return typeof s === "string" && UID_RE.test(s);
}

/**
 * A random UID from a source of integers in `[0, n)`; the default is crypto-random, the seed
 * passes its PRNG so the same seed gives the same UIDs.
 */
export function generateUid(nextInt: (n: number) => number = randomInt): string {
  let s = LETTERS[nextInt(LETTERS.length)]!;
  for (let i = 1; i < 11; i++) s += ALNUM[nextInt(ALNUM.length)]!;
  return s;
}

/** Random alphanumeric code of `length` characters (CodeGenerator.generateSecureRandomCode). */
export function randomCode(length: number, nextInt: (n: number) => number = randomInt): string {
  let s = "";
  for (let i = 0; i < length; i++) s += ALNUM[nextInt(ALNUM.length)]!;
  return s;
}
