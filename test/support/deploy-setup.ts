// Before the deployment tests: the native stack (the packaged table is compared with Cassandra's own
// reading of schema.cql) and the pinned Python tools (cfn-lint, moto's AWS API emulator).
import { ensurePythonTools } from '../../infra/local/tools/python-tools';
import globalSetup from './global-setup';

export default async function deploySetup(): Promise<void> {
  ensurePythonTools((line) => process.stderr.write(`[tools] ${line}\n`));
  await globalSetup();
}
