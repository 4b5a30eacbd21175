// avsc's types-only entry (no file, stream or RPC code): what the functions bundle. Its API is avsc's own.
declare module 'avsc/etc/browser/avsc-types' {
  export { Type } from 'avsc';
}
