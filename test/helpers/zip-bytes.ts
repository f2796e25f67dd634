/**
 * Zips written byte by byte, so tests can build what no honest writer would: `../` names, absolute paths,
 * device entries, duplicate names, and headers that lie about sizes.
 */
import { crc32, deflateRawSync } from "node:zlib";

export interface RawEntry {
  /** Stored as written (UTF-8), no checks. */
  readonly name: string;
  readonly data?: Buffer | string;
  /** Full Unix mode with the file type (0o100644, 0o120777...); 0 stores no mode. Default 0o100644. */
  readonly mode?: number;
  /** 8 (deflate, default) or 0 (stored). */
  readonly method?: 0 | 8;
  /** Overrides the uncompressed size written in both headers. */
  readonly declaredSize?: number;
  readonly crc?: number;
  /** The host that made the entry: 3 (Unix, default) keeps `mode`; 0 (MS-DOS) stores `dosAttributes` instead. */
  readonly madeBy?: number;
  /** DOS attributes (0x10 directory, 0x20 archive), for an entry not made on Unix. */
  readonly dosAttributes?: number;
}

export function rawZip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const data = Buffer.from(entry.data ?? "");
    const method = entry.method ?? 8;
    const stored = method === 8 ? deflateRawSync(data) : data;
    const crc = entry.crc ?? crc32(data);
    const size = entry.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    const madeBy = entry.madeBy ?? 3;
    central.writeUInt16LE((madeBy << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    const external = madeBy === 3 ? ((entry.mode ?? 0o100644) << 16) >>> 0 : (entry.dosAttributes ?? 0x20);
    central.writeUInt32LE(external, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
