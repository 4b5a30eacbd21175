// The one root of the errors the project's own tooling raises (deployment and local development):
// each says what failed and what to do, and is shown to the person without a stack trace. The
// functions' errors have their own root, PipelineError (functions/shared/errors.ts).
export class ToolingError extends Error {
  override readonly name: string = 'ToolingError';
}
