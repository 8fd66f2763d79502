// Decoding Read requests. A consumer sends one ack per event, so acks and nacks are read by hand
// (ReadReq { ack = 2 | nack = 3 }, each { repeated UUID ids = 2 }, nack { action = 3, reason = 4 },
// UUID { string = 2 }); the one options message per call, and anything unusual (structured UUIDs),
// goes through the generated decoder.
import { uuidOf } from '../grpc/request-fields.ts';
import { persistent } from '../proto.ts';

type ReadReq = InstanceType<typeof persistent.ReadReq>;
export type ReadReqOptions = NonNullable<ReturnType<ReadReq['getOptions']>>;

export type ReadRequest =
  | { kind: 'options'; options: ReadReqOptions }
  | { kind: 'ack'; ids: string[] }
  | { kind: 'nack'; ids: string[]; action: number; reason: string }
  | { kind: 'none' };

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

class Reader {
  offset: number;
  constructor(
    readonly bytes: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.offset = start;
  }

  get done(): boolean {
    return this.offset >= this.end;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.offset >= this.end) throw new RangeError('truncated varint');
      const byte = this.bytes[this.offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  }

  /** The bounds of a length-delimited field's contents, skipping past it. */
  span(): [number, number] {
    const length = this.varint();
    const start = this.offset;
    this.offset += length;
    if (this.offset > this.end) throw new RangeError('truncated field');
    return [start, this.offset];
  }

  skip(wireType: number): void {
    if (wireType === WIRE_VARINT) this.varint();
    else if (wireType === WIRE_LENGTH_DELIMITED) this.span();
    else if (wireType === 1) this.offset += 8;
    else if (wireType === 5) this.offset += 4;
    else throw new RangeError(`unsupported wire type ${wireType}`);
  }
}

/** Thrown for anything the hand decoder leaves to the generated one. */
class NotSimple extends Error {}

const decodeSettle = (bytes: Buffer, start: number, end: number) => {
  const reader = new Reader(bytes, start, end);
  const ids: string[] = [];
  let action = 0;
  let reason = '';
  while (!reader.done) {
    const tag = reader.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 2 && wireType === WIRE_LENGTH_DELIMITED) {
      const [uuidStart, uuidEnd] = reader.span();
      const uuid = new Reader(bytes, uuidStart, uuidEnd);
      let id: string | undefined;
      while (!uuid.done) {
        const uuidTag = uuid.varint();
        if (uuidTag !== ((2 << 3) | WIRE_LENGTH_DELIMITED)) throw new NotSimple();
        const [textStart, textEnd] = uuid.span();
        id = bytes.toString('latin1', textStart, textEnd).toLowerCase();
      }
      if (id === undefined) throw new NotSimple();
      ids.push(id);
    } else if (field === 3 && wireType === WIRE_VARINT) action = reader.varint();
    else if (field === 4 && wireType === WIRE_LENGTH_DELIMITED) {
      const [textStart, textEnd] = reader.span();
      reason = bytes.toString('utf8', textStart, textEnd);
    } else reader.skip(wireType);
  }
  return { ids, action, reason };
};

const decodeGenerated = (bytes: Buffer): ReadRequest => {
  const request = persistent.ReadReq.deserializeBinary(bytes);
  if (request.hasOptions()) return { kind: 'options', options: request.getOptions()! };
  if (request.hasAck()) return { kind: 'ack', ids: request.getAck()!.getIdsList().map(uuidOf) };
  if (request.hasNack()) {
    const nack = request.getNack()!;
    return { kind: 'nack', ids: nack.getIdsList().map(uuidOf), action: nack.getAction(), reason: nack.getReason() };
  }
  return { kind: 'none' };
};

export const decodeReadRequest = (bytes: Buffer): ReadRequest => {
  try {
    const reader = new Reader(bytes, 0, bytes.length);
    let decoded: ReadRequest = { kind: 'none' };
    while (!reader.done) {
      const tag = reader.varint();
      const field = Math.floor(tag / 8);
      const wireType = tag % 8;
      if (wireType !== WIRE_LENGTH_DELIMITED || field === 1) return decodeGenerated(bytes);
      const [start, end] = reader.span();
      if (field === 2) decoded = { kind: 'ack', ids: decodeSettle(bytes, start, end).ids };
      else if (field === 3) decoded = { kind: 'nack', ...decodeSettle(bytes, start, end) };
    }
    return decoded;
  } catch (error) {
    if (error instanceof NotSimple || error instanceof RangeError) return decodeGenerated(bytes);
    throw error;
  }
};
