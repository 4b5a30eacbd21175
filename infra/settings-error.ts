// A setting of serverless.yml (a stage parameter, a mapping's control, a filter) that cannot work,
// raised before anything is packaged or consumed. Its message names the setting and what to write
// instead; the plugins show it as osls shows its own configuration errors, without a stack.
import { ToolingError } from './tooling-error';

export class SettingsError extends ToolingError {
  override readonly name: string = 'SettingsError';
}
