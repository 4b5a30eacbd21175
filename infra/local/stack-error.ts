// An error of the native stack that a developer can act on: its message says what failed and what to do.
export class StackError extends Error {
  override readonly name = 'StackError';
}
