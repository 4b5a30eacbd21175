// An error of the native stack that a developer can act on: its message says what failed and what to do.
import { ToolingError } from '../../tooling-error';

export class StackError extends ToolingError {
  override readonly name = 'StackError';
}
