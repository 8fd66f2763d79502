// Compact, growable storage for per-event columns. A million events cost a few typed-array
// slots each instead of a JavaScript object each, which keeps RSS per event well under 1 KiB.

type TypedArray = Float64Array | Uint32Array;

class GrowableColumn<T extends TypedArray> {
  private data: T;

  constructor(private readonly create: (size: number) => T) {
    this.data = create(1024);
  }

  get(index: number): number {
    return this.data[index]!;
  }

  set(index: number, value: number): void {
    if (index >= this.data.length) {
      const grown = this.create(Math.max(this.data.length * 2, index + 1));
      grown.set(this.data);
      this.data = grown;
    }
    this.data[index] = value;
  }
}

export const float64Column = (): GrowableColumn<Float64Array> => new GrowableColumn((n) => new Float64Array(n));
export const uint32Column = (): GrowableColumn<Uint32Array> => new GrowableColumn((n) => new Uint32Array(n));

const CHUNK_SIZE = 8 * 1024 * 1024;

/** Append-only byte storage: values are copied into large chunks and addressed by (chunk, offset, length). */
export class ByteArena {
  private readonly chunks: Buffer[] = [];
  private current: Buffer = Buffer.alloc(0);
  private used = 0;

  /** Copies `bytes` in and returns its address. */
  add(bytes: Uint8Array): { chunk: number; offset: number } {
    if (this.used + bytes.length > this.current.length) {
      this.current = Buffer.allocUnsafeSlow(Math.max(CHUNK_SIZE, bytes.length));
      this.chunks.push(this.current);
      this.used = 0;
    }
    const offset = this.used;
    this.current.set(bytes, offset);
    this.used += bytes.length;
    return { chunk: this.chunks.length - 1, offset };
  }

  /** A view (not a copy) of stored bytes. */
  view(chunk: number, offset: number, length: number): Buffer {
    return this.chunks[chunk]!.subarray(offset, offset + length);
  }
}
