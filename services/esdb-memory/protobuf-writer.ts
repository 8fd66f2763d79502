// A minimal protobuf encoder for the few messages the server sends in bulk (recorded events
// inside read and subscription responses). Encoding them by hand once, at append time, lets
// reads copy stored bytes instead of building a google-protobuf object per event per reader.

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

export class ProtobufWriter {
  private readonly parts: Buffer[] = [];
  private current = Buffer.allocUnsafe(256);
  private offset = 0;

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.current.length) return;
    this.parts.push(this.current.subarray(0, this.offset));
    this.current = Buffer.allocUnsafe(Math.max(256, bytes));
    this.offset = 0;
  }

  /** Unsigned varint; numbers up to 2^53 or any non-negative bigint (for 2^63-1 sentinels). */
  varint(value: number | bigint): this {
    this.ensure(10);
    if (typeof value === 'bigint') {
      let v = value;
      while (v >= 0x80n) {
        this.current[this.offset++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      this.current[this.offset++] = Number(v);
      return this;
    }
    let v = value;
    while (v >= 0x80) {
      this.current[this.offset++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.current[this.offset++] = v;
    return this;
  }

  private tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  uint64Field(field: number, value: number | bigint): this {
    return this.tag(field, WIRE_VARINT).varint(value);
  }

  bytesField(field: number, bytes: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED).varint(bytes.length);
    this.ensure(bytes.length);
    this.current.set(bytes, this.offset);
    this.offset += bytes.length;
    return this;
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, Buffer.from(value, 'utf8'));
  }

  /** An embedded message, already encoded. */
  messageField(field: number, encoded: Uint8Array): this {
    return this.bytesField(field, encoded);
  }

  finish(): Buffer {
    this.parts.push(this.current.subarray(0, this.offset));
    return this.parts.length === 1 ? Buffer.from(this.parts[0]!) : Buffer.concat(this.parts);
  }
}

export const encodeMessage = (build: (writer: ProtobufWriter) => void): Buffer => {
  const writer = new ProtobufWriter();
  build(writer);
  return writer.finish();
};

/** Bytes the varint encoding of a non-negative integer takes. */
export const varintSize = (value: number | bigint): number => {
  let size = 1;
  if (typeof value === 'bigint') {
    for (let v = value; v >= 0x80n; v >>= 7n) size++;
    return size;
  }
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) size++;
  return size;
};

/** Bytes a length-delimited field (field number below 16, so a one-byte tag) of `length` bytes takes. */
export const lengthDelimitedSize = (length: number): number => 1 + varintSize(length) + length;

/**
 * Writes a message whose size was computed first into one buffer, with no intermediate buffers:
 * for the message written once per stored event. Field numbers must be below 16.
 */
export class SizedWriter {
  private readonly buffer: Buffer;
  private offset = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  private varint(value: number | bigint): void {
    if (typeof value === 'bigint') {
      let v = value;
      for (; v >= 0x80n; v >>= 7n) this.buffer[this.offset++] = Number(v & 0x7fn) | 0x80;
      this.buffer[this.offset++] = Number(v);
      return;
    }
    let v = value;
    for (; v >= 0x80; v = Math.floor(v / 0x80)) this.buffer[this.offset++] = (v % 0x80) | 0x80;
    this.buffer[this.offset++] = v;
  }

  /** Tag and length of a length-delimited field whose content the next calls write. */
  header(field: number, length: number): this {
    this.buffer[this.offset++] = field * 8 + WIRE_LENGTH_DELIMITED;
    this.varint(length);
    return this;
  }

  uint64Field(field: number, value: number | bigint): this {
    this.buffer[this.offset++] = field * 8 + WIRE_VARINT;
    this.varint(value);
    return this;
  }

  /** `byteLength` is the value's UTF-8 length, already computed for the size. */
  stringField(field: number, value: string, byteLength: number): this {
    this.header(field, byteLength);
    this.offset += this.buffer.write(value, this.offset, byteLength, 'utf8');
    return this;
  }

  bytesField(field: number, bytes: Uint8Array): this {
    this.header(field, bytes.length);
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
    return this;
  }

  finish(): Buffer {
    if (this.offset !== this.buffer.length) throw new Error(`protobuf size mismatch: wrote ${this.offset} of ${this.buffer.length} bytes`);
    return this.buffer;
  }
}
