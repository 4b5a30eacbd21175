// The resolved serverless configuration (`sls print`), for tools that must see what sls offline
// sees: the same function names, events and custom.eventSourceMappings, variables resolved.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { mappingsOf, type EventSourceMapping, type ServerlessView } from '../../mapping/event-source-mapping';
import { projectRoot, stackSettings } from '../stack/stack-settings';

interface PrintedService {
  service: string;
  provider: { stage?: string; environment?: Record<string, string> };
  custom?: { eventSourceMappings?: ServerlessView['controls'] };
  functions: ServerlessView['functions'];
}

export function resolvedService(stage = process.env.STAGE ?? 'local'): PrintedService {
  const sls = path.join(projectRoot, 'node_modules', '.bin', 'sls');
  const json = execFileSync(sls, ['print', '--format', 'json', '--stage', stage], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(json) as PrintedService;
}

export function resolvedMappings(service: PrintedService = resolvedService()): EventSourceMapping[] {
  return mappingsOf({
    service: service.service,
    stage: service.provider.stage ?? 'local',
    functions: service.functions,
    controls: service.custom?.eventSourceMappings ?? {},
    localBrokers: stackSettings().kafka.brokers,
  });
}
