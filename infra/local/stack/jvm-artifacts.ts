// Fetches the pinned Kafka and Cassandra jars from Maven Central (through the developer's own Maven,
// so mirrors and proxies in ~/.m2/settings.xml apply) into .local/lib, once per pom version.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './stack-settings';
import { StackError } from './stack-error';
import { withHeartbeat } from './heartbeat';

export type JvmService = 'kafka' | 'cassandra';

function pomPath(service: JvmService): string {
  return path.join(projectRoot, 'infra', 'local', 'stack', 'jvm', service, 'pom.xml');
}

/** Returns the folder holding the service's runtime classpath, resolving it first when the pom changed. */
export async function ensureArtifacts(service: JvmService, libRoot: string, log: (line: string) => void): Promise<string> {
  const pom = pomPath(service);
  const digest = createHash('sha256').update(fs.readFileSync(pom)).digest('hex');
  const dir = path.join(libRoot, service);
  const marker = path.join(dir, '.resolved');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === digest) return dir;

  log(`resolving ${service} jars from Maven Central (first run only)…`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const result = await withHeartbeat(log, `resolving ${service} jars from Maven Central`, runMaven(pom, dir));
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new StackError(
      'Maven (mvn) not found: the native stack uses it to fetch Kafka and Cassandra from Maven Central. Install Maven 3.6+ (e.g. apt-get install maven) and retry.',
    );
  }
  if (result.status !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new StackError(
      `Could not download the ${service} artifacts listed in ${path.relative(projectRoot, pom)}.\n${tail}\nCheck that Maven Central (or your mirror in ~/.m2/settings.xml) is reachable, then run the command again.`,
    );
  }
  fs.writeFileSync(marker, digest);
  return dir;
}

interface MavenResult {
  status: number | null;
  error?: Error;
  stdout: string;
  stderr: string;
}

function runMaven(pom: string, dir: string): Promise<MavenResult> {
  return new Promise((resolve) => {
    const child = spawn(
      'mvn',
      ['-q', '-B', '-f', pom, 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies', `-DoutputDirectory=${dir}`, '-DincludeScope=runtime'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', (error) => resolve({ status: null, error, stdout, stderr }));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function classpath(dir: string): string {
  return path.join(dir, '*');
}

export function findJar(dir: string, prefix: string): string {
  const jar = fs.readdirSync(dir).find((name) => name.startsWith(prefix) && name.endsWith('.jar'));
  if (!jar) throw new StackError(`${prefix}*.jar is missing from ${dir}: delete that folder and run the command again to re-resolve it.`);
  return path.join(dir, jar);
}
