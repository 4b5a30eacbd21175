// Fetches the pinned Kafka and Cassandra jars from Maven Central (through the developer's own Maven,
// so mirrors and proxies in ~/.m2/settings.xml apply) into .local/lib, once per pom version.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './stack-settings';
import { StackError } from './stack-error';
import { withHeartbeat } from './heartbeat';

/** A folder of infra/local/stack/jvm: the stack's two servers, and the Spark connectors npm run bench loads. */
export type JvmService = 'kafka' | 'cassandra' | 'spark-connectors';

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

/** An archive Maven Central serves whose POM Maven cannot resolve: fetched by its path, checked by digest. */
export interface ArchiveArtifact {
  groupId: string;
  artifactId: string;
  version: string;
  classifier: string;
  extension: 'tar.gz';
  sha256: string;
}

/** MAVEN_CENTRAL_URL points the download at a mirror that lays files out as Maven Central does. */
export function archiveUrl(artifact: ArchiveArtifact, repository = process.env.MAVEN_CENTRAL_URL ?? 'https://repo.maven.apache.org/maven2'): string {
  const { groupId, artifactId, version, classifier, extension } = artifact;
  return `${repository.replace(/\/+$/, '')}/${groupId.replace(/\./g, '/')}/${artifactId}/${version}/${artifactId}-${version}-${classifier}.${extension}`;
}

/** Downloads, checks and unpacks the archive into libRoot/<name> once; returns that folder. */
export async function ensureArchive(name: string, artifact: ArchiveArtifact, libRoot: string, log: (line: string) => void): Promise<string> {
  const dir = path.join(libRoot, name);
  const marker = path.join(dir, '.resolved');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === artifact.sha256) return dir;
  const url = archiveUrl(artifact);
  log(`downloading ${artifact.artifactId} ${artifact.version} from ${url} (first run only)…`);
  const bytes = await withHeartbeat(log, `downloading ${artifact.artifactId} ${artifact.version}`, download(url));
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== artifact.sha256) {
    throw new StackError(
      `${url} has SHA-256 ${digest}, not the pinned ${artifact.sha256}. A mirror (MAVEN_CENTRAL_URL) serving another file, or a corrupted download: retry, and if it persists, check the mirror.`,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const archive = path.join(libRoot, `${name}.${artifact.extension}`);
  fs.writeFileSync(archive, bytes);
  const untar = spawnSync('tar', ['-xzf', archive, '-C', dir], { encoding: 'utf8' });
  fs.rmSync(archive, { force: true });
  if (untar.status !== 0) throw new StackError(`Unpacking ${artifact.artifactId} into ${dir} failed: ${untar.stderr || untar.error?.message}`);
  fs.writeFileSync(marker, artifact.sha256);
  return dir;
}

async function download(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(600_000) });
  } catch (error) {
    throw new StackError(`Could not download ${url} (${(error as Error).message}). Check that Maven Central (or MAVEN_CENTRAL_URL) is reachable, then retry.`);
  }
  if (!response.ok) throw new StackError(`${url} answered ${response.status}. Check that Maven Central (or MAVEN_CENTRAL_URL) serves it, then retry.`);
  return Buffer.from(await response.arrayBuffer());
}
