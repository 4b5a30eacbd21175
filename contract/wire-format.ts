// The Confluent wire format that every Confluent-compatible registry and Lambda's mapping read: a zero
// magic byte, the schema id as a 4-byte big-endian integer, then the serialised record.

export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;

/** Writes the 5-byte header at `offset`; the serialised record goes right after it. */
export function writeHeader(bytes: Buffer, offset: number, schemaId: number): void {
  bytes.writeUInt8(MAGIC_BYTE, offset);
  bytes.writeUInt32BE(schemaId, offset + 1);
}

export function frame(schemaId: number, payload: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  writeHeader(framed, 0, schemaId);
  payload.copy(framed, HEADER_BYTES);
  return framed;
}

export type Unframed = { ok: true; schemaId: number; payload: Buffer } | { ok: false; problem: string };

/** The schema id and payload of a framed record, or what makes the bytes not one. */
export function unframe(bytes: Buffer): Unframed {
  if (bytes.length < HEADER_BYTES) return { ok: false, problem: `${bytes.length} byte(s), fewer than the wire format's 5-byte header` };
  if (bytes[0] !== MAGIC_BYTE) return { ok: false, problem: `first byte is ${bytes[0]}, not the wire format's magic byte 0` };
  return { ok: true, schemaId: bytes.readUInt32BE(1), payload: bytes.subarray(HEADER_BYTES) };
}
