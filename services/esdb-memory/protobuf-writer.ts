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
