// Packages a stage with the real `sls package` and reads the CloudFormation template that would deploy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, SLS } from './processes';

export interface PackagedResource {
  Type: string;
  DependsOn?: string[];
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
}

export interface PackagedTemplate {
  dir: string;
  file: string;
  text: string;
  resources: Record<string, PackagedResource>;
  ofType(type: string): Array<[string, PackagedResource]>;
}

export async function packageStage(stage: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<PackagedTemplate> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sls-package-${stage}-`));
  const { code, output } = await run(SLS, ['package', '--stage', stage, '--package', dir, ...extraArgs], env);
  if (code !== 0) throw new Error(`sls package --stage ${stage} failed (${code}):\n${output.slice(-3000)}`);
  const file = path.join(dir, 'cloudformation-template-update-stack.json');
  const text = fs.readFileSync(file, 'utf8');
  const resources = (JSON.parse(text) as { Resources: Record<string, PackagedResource> }).Resources;
  return { dir, file, text, resources, ofType: (type) => Object.entries(resources).filter(([, r]) => r.Type === type) };
}
