/**
 * deflateRaw of one short text, the same bytes as `deflateRawSync(text,
 * options)`, with one zlib state kept and reset between texts.
 *
 * Node's sync zlib API builds a stream, a native zlib state and a 16 KiB
 * output chunk per call, then closes them: for a line of about 1 KiB that
 * set-up cost more than the compressing (measured: about 40% of a call).
 * Node offers no public way to reuse a state synchronously, so this reaches
 * into the stream's native handle (`_handle.writeSync`, `_writeState`, as
 * Node's own processChunkSync does). That shape is checked once, by
 * deflating a probe both ways and comparing the bytes; on any other Node,
 * or a text the kept buffers do not hold, it is `deflateRawSync` itself.
 */
import { constants, createDeflateRaw, deflateRawSync, type ZlibOptions } from 'node:zlib';

interface NativeHandle {
  writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void;
  reset(): void;
}

/** A text this long or shorter goes through the kept state; a longer one is rare and takes the plain call. */
const INPUT_BYTES = 16 * 1024;
/** deflate's worst case for INPUT_BYTES of incompressible input, with room to spare. */
const OUTPUT_BYTES = INPUT_BYTES + 1024;
const PROBE = `{"id":"probe","data":{"名称":"${'黄石市人力资源和社会保障局'.repeat(20)}","n":1.5}}`;

export type Deflate = (text: string, byteLength: number) => Uint8Array;

export function lineDeflater(options: ZlibOptions): Deflate {
  const plain: Deflate = (text) => new Uint8Array(deflateRawSync(text, options));
  const kept = keptState(options);
  if (!kept) return plain;
  let fits: Deflate;
  try {
    fits = (text, byteLength) => (byteLength <= INPUT_BYTES ? (kept(text, byteLength) ?? plain(text, byteLength)) : plain(text, byteLength));
    const probe = Buffer.byteLength(PROBE);
    // Twice, so the second also shows the reset state writes what a fresh one does.
    const want = plain(PROBE, probe);
    if (!sameBytes(fits(PROBE, probe), want) || !sameBytes(fits(PROBE, probe), want)) return plain;
  } catch {
    return plain;
  }
  return fits;
}

/** A deflate on one kept state (null for a text it leaves to the plain call), or null when this Node's zlib stream does not look as expected. */
function keptState(options: ZlibOptions): ((text: string, byteLength: number) => Uint8Array | null) | null {
  const stream = createDeflateRaw(options) as unknown as { _handle?: NativeHandle; _writeState?: Uint32Array; destroyed?: boolean };
  const handle = stream._handle;
  const state = stream._writeState;
  if (!handle || typeof handle.writeSync !== 'function' || typeof handle.reset !== 'function' || !(state instanceof Uint32Array)) return null;
  const input = Buffer.allocUnsafe(INPUT_BYTES);
  const output = Buffer.allocUnsafe(OUTPUT_BYTES);
  // After anything unexpected (zlib reports errors by destroying the stream) every text takes the plain call.
  let broken = false;
  // zlib reports an error by destroying the stream, which emits it: without a listener that would end the thread.
  (stream as unknown as { on(event: 'error', listener: () => void): void }).on('error', () => {
    broken = true;
  });
  return (text, byteLength) => {
    if (broken) return null;
    try {
      const length = input.write(text, 0, byteLength, 'utf8');
      if (length !== byteLength) return null;
      handle.writeSync(constants.Z_FINISH, input, 0, length, output, 0, OUTPUT_BYTES);
      const availOut = state[0]!;
      const availIn = state[1]!;
      handle.reset();
      if (stream.destroyed) broken = true;
      // Input left over or output filled: the stream did not finish in one step; the plain call does it whole.
      else if (availIn === 0 && availOut > 0) {
        // A copy of its own size: the kept buffer holds the next line next, and a structured copy sends a view's whole buffer.
        return new Uint8Array(output.subarray(0, OUTPUT_BYTES - availOut));
      }
    } catch {
      broken = true;
    }
    return null;
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}
