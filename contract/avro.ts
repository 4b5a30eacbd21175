// Avro, through avsc's types-only entry (no file, stream or RPC code, so the zip stays small): the one
// file that imports avsc. The codec of the contract's schema, for produceUsers and the emulator.
import type { Schema } from 'avsc';
import { Type } from 'avsc/etc/browser/avsc-types';

export type AvroType = Type;

export function avroType(schema: object | string): AvroType {
  return Type.forSchema((typeof schema === 'string' ? JSON.parse(schema) : schema) as Schema);
}

/** The paths of the fields that make `value` not a record of `type`; empty when it is one. */
export function invalidPaths(type: AvroType, value: unknown): string[] {
  const paths: string[] = [];
  type.isValid(value, { errorHook: (path) => paths.push(path.join('.') || '(record)') });
  return paths;
}
