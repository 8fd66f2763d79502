// The on-disk form of the embedded server (`--db <dir>`): one append-only file of framed
// records, `[length u32][crc32 u32][RecordedEvent bytes]`.
//
// fsync policy: an append is acknowledged only after the bytes are written and fdatasync'ed.
// Concurrent appends share one write + fdatasync (group commit), so durability costs one
// disk flush per batch, not per event. A torn tail left by kill -9 fails its length or CRC
// check on start-up and is cut off; it can only hold appends that were never acknowledged.
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

const HEADER_BYTES = 8;

const syncDirectory = (dir: string): void => {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};
const READ_CHUNK = 16 * 1024 * 1024;

interface PendingWrite {
  frames: Buffer[];
  resolve: () => void;
  reject: (error: Error) => void;
}

export class DurableLog {
  private readonly fd: number;
  private size: number;
  private pending: PendingWrite[] = [];
  private flushing = false;

  private constructor(fd: number, size: number) {
    this.fd = fd;
    this.size = size;
  }

  /** Opens (or creates) the log in `dir`, returning the intact records found there. */
  static open(dir: string): { log: DurableLog; records: Buffer[] } {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'events.log');
    const created = !existsSync(path);
    const fd = openSync(path, 'a+');
    // A new file's directory entry must reach the disk too, or a crash could lose the whole log.
    if (created) syncDirectory(dir);
    const { records, validBytes } = readFrames(fd);
    if (validBytes < fstatSync(fd).size) ftruncateSync(fd, validBytes);
    return { log: new DurableLog(fd, validBytes), records };
  }

  /** Resolves once `records` are on disk. Calls made in the same tick are flushed together. */
  append(records: Buffer[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ frames: records.map(frame), resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    try {
      const bytes = Buffer.concat(batch.flatMap((w) => w.frames));
      let written = 0;
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written, null);
      fdatasyncSync(this.fd);
      this.size += bytes.length;
      for (const w of batch) w.resolve();
    } catch (error) {
      for (const w of batch) w.reject(error as Error);
    }
    if (this.pending.length > 0) setImmediate(() => this.flush());
    else this.flushing = false;
  }

  get bytesOnDisk(): number {
    return this.size;
  }

  close(): void {
    closeSync(this.fd);
  }
}

const frame = (record: Buffer): Buffer => {
  const out = Buffer.allocUnsafe(HEADER_BYTES + record.length);
  out.writeUInt32LE(record.length, 0);
  out.writeUInt32LE(crc32(record), 4);
  record.copy(out, HEADER_BYTES);
  return out;
};

const readFrames = (fd: number): { records: Buffer[]; validBytes: number } => {
  const size = fstatSync(fd).size;
  const records: Buffer[] = [];
  let fileOffset = 0;
  let carry = Buffer.alloc(0);
  let validBytes = 0;
  while (fileOffset < size) {
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - fileOffset));
    const read = readSync(fd, chunk, 0, chunk.length, fileOffset);
    if (read <= 0) break;
    fileOffset += read;
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
    let offset = 0;
    while (offset + HEADER_BYTES <= buffer.length) {
      const length = buffer.readUInt32LE(offset);
      if (offset + HEADER_BYTES + length > buffer.length) break;
      const record = buffer.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
      if (crc32(record) !== buffer.readUInt32LE(offset + 4)) return { records, validBytes };
      records.push(record);
      offset += HEADER_BYTES + length;
      validBytes += HEADER_BYTES + length;
    }
    carry = buffer.subarray(offset);
  }
  return { records, validBytes };
};
