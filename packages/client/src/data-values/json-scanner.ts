/**
 * A streaming reader for the `dataValues` array of a (possibly 100 MB) data value set file. It
 * scans the text once, keeps only the object being read, and `JSON.parse`s one value at a time,
 * so memory does not grow with the file. A hand-written scanner rather than a general streaming
 * JSON library: it needs only the one array and no dependency (see docs/decisions.md; its speed
 * against such a library was not measured, so no claim is made about it).
 *
 * Top-level string fields (`dataSet`, `period`, `orgUnit`, ...) are collected into `header`
 * as they pass. A bare top-level array of values is accepted too.
 */
import { Dhis2ClientError } from "../errors.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Incremental scanner: `push` text as it arrives, get back the values completed so far. */
export class DataValuesJsonScanner {
  /** Top-level string fields seen so far. */
  readonly header: Record<string, string> = {};
  #buf = "";
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** Depth of the items of the values array (0 = not inside it). */
  #itemDepth = 0;
  #objStart = -1;
  #strStart = -1;
  #expectKey = false;
  #key: string | undefined;
  #seenRoot = false;
  #rowsEmitted = 0;
  #consumed = 0;

  /** Feeds a piece of text; returns the values it completed, in order. */
  push(text: string): unknown[] {
    const out: unknown[] = [];
    const buf = this.#buf + text;
    const n = buf.length;
    let depth = this.#depth;
    let inString = this.#inString;
    let escaped = this.#escaped;
    let objStart = this.#objStart;
    let strStart = this.#strStart;
    for (let i = this.#buf.length; i < n; i++) {
      const c = buf.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (depth === 1 && this.#itemDepth !== 1 && strStart >= 0) {
            const s = JSON.parse(buf.slice(strStart, i + 1)) as string;
            if (this.#expectKey) this.#key = s;
            else if (this.#key !== undefined) this.header[this.#key] = s;
            strStart = -1;
          }
        }
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        if (depth === 1 && this.#itemDepth !== 1) strStart = i;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (!this.#seenRoot) {
          this.#seenRoot = true;
          if (c === OPEN_BRACKET) this.#itemDepth = 1;
          else this.#expectKey = true;
        } else if (
          depth === 1 &&
          c === OPEN_BRACKET &&
          this.#itemDepth === 0 &&
          this.#key === "dataValues" &&
          !this.#expectKey
        ) {
          this.#itemDepth = 2;
        }
        depth++;
        if (this.#itemDepth > 0 && depth === this.#itemDepth + 1 && c === OPEN_BRACE && objStart < 0)
          objStart = i;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth < 0) throw this.#error("unbalanced closing bracket", i);
        if (objStart >= 0 && depth === this.#itemDepth) {
          out.push(this.#parseRow(buf.slice(objStart, i + 1), i));
          objStart = -1;
        } else if (depth === 1 && c === CLOSE_BRACKET && this.#itemDepth === 2) {
          this.#itemDepth = -1; // the values array is done; later arrays are not values
        }
      } else if (depth === 1 && this.#itemDepth !== 1) {
        if (c === COLON) this.#expectKey = false;
        else if (c === COMMA) this.#expectKey = true;
      } else if (depth === this.#itemDepth && objStart < 0 && c > 0x20 && c !== COMMA) {
        throw this.#error(`a value in "dataValues" is not an object (found ${JSON.stringify(buf[i])})`, i);
      }
    }
    const keepFrom = objStart >= 0 ? objStart : strStart >= 0 ? strStart : n;
    this.#consumed += keepFrom;
    this.#buf = buf.slice(keepFrom);
    this.#objStart = objStart >= 0 ? objStart - keepFrom : -1;
    this.#strStart = strStart >= 0 ? strStart - keepFrom : -1;
    this.#depth = depth;
    this.#inString = inString;
    this.#escaped = escaped;
    return out;
  }

  /** Call at the end of input: throws when the text stopped in the middle of the document. */
  end(): void {
    if (!this.#seenRoot)
      throw new Dhis2ClientError('data value file is empty (expected { "dataValues": [...] })');
    if (this.#depth !== 0 || this.#inString) {
      throw new Dhis2ClientError(
        `data value file ends in the middle of the JSON document (after row ${this.#rowsEmitted})`,
      );
    }
    if (this.#itemDepth === 0) throw new Dhis2ClientError('data value file has no "dataValues" array');
  }

  #parseRow(text: string, at: number): unknown {
    try {
      const row = JSON.parse(text);
      this.#rowsEmitted++;
      return row;
    } catch (e) {
      throw this.#error(`row ${this.#rowsEmitted} is not valid JSON: ${(e as Error).message}`, at);
    }
  }

  #error(what: string, i: number): Dhis2ClientError {
    return new Dhis2ClientError(`data value file: ${what} (near character ${this.#consumed + i})`);
  }
}
