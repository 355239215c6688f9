/**
 * A minimal ZIP writer (PKWARE APPNOTE 6.3: local headers, central directory, end record;
 * DEFLATE via the standard `CompressionStream("deflate-raw")`, present in Node and browsers),
 * enough for an XLSX package. Timestamps are fixed (1980-01-01) so the same content gives the
 * same bytes.
 */
import { concatBytes, utf8 } from "../bytes.js";
import { crc32 } from "../crc32.js";

async function deflateRaw(raw: Uint8Array): Promise<Uint8Array> {
  const compressed = new Blob([raw as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

/** Builds a ZIP archive from `[name, content]` entries (deflated). */
export async function zip(entries: readonly (readonly [string, string | Uint8Array])[]): Promise<Uint8Array> {
  const locals: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (const [name, content] of entries) {
    const raw = typeof content === "string" ? utf8(content) : content;
    const data = await deflateRaw(raw);
    const nameBytes = utf8(name);
    const crc = crc32(raw);
    const local = new Uint8Array(30);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true); // version needed
    l.setUint16(6, 0x0800, true); // UTF-8 names
    l.setUint16(8, 8, true); // deflate
    l.setUint16(12, DOS_DATE, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, data.length, true);
    l.setUint32(22, raw.length, true);
    l.setUint16(26, nameBytes.length, true);
    const head = new Uint8Array(46);
    const h = new DataView(head.buffer);
    h.setUint32(0, 0x02014b50, true);
    h.setUint16(4, 20, true); // version made by
    h.setUint16(6, 20, true);
    h.setUint16(8, 0x0800, true);
    h.setUint16(10, 8, true);
    h.setUint16(14, DOS_DATE, true);
    h.setUint32(16, crc, true);
    h.setUint32(20, data.length, true);
    h.setUint32(24, raw.length, true);
    h.setUint16(28, nameBytes.length, true);
    h.setUint32(42, offset, true);
    locals.push(local, nameBytes, data);
    central.push(head, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const dir = concatBytes(central);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, entries.length, true);
  e.setUint16(10, entries.length, true);
  e.setUint32(12, dir.length, true);
  e.setUint32(16, offset, true);
  return concatBytes([...locals, dir, end]);
}
