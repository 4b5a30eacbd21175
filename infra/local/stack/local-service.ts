// What the stack needs to know of each service it runs: how to start it and how to tell it answers.
import type { Java } from './java';
import type { ManagedProcess } from './managed-process';
import type { Endpoint } from './stack-settings';

export interface LocalService {
  readonly name: 'kafka' | 'cassandra' | 'schema-registry';
  readonly endpoint: Endpoint;
  readonly process: ManagedProcess;
  /** How long a cold start may take on a small machine before it is reported as failed. */
  readonly startTimeoutMs: number;
  /** A protocol-level check (a metadata request, a CQL query), not just an open port. */
  answers(timeoutMs?: number): Promise<boolean>;
  launch(java: Java, log: (line: string) => void): Promise<void>;
}
