/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): what ZIP stores per entry and what
 * DHIS2's V2 personal access tokens carry as their checksum. Own implementation because Node 20
 * lacks `zlib.crc32`.
 */
import { utf8 } from "./bytes.js";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 of bytes, or of a string's UTF-8 bytes.
 *
 * @example
 * ```ts
 * crc32("123456789"); // 0xcbf43926
 * ```
 */
export function crc32(data: Uint8Array | string): number {
  const bytes = typeof data === "string" ? utf8(data) : data;
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++)
    c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
