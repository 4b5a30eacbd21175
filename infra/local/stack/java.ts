// Finds a JDK able to run Kafka 4 and Cassandra 5 (Java 17 or newer) and says how to get one if not.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { StackError } from './stack-error';

export const MINIMUM_JAVA = 17;

export interface Java {
  bin: string;
  major: number;
}

export function findJava(env: NodeJS.ProcessEnv = process.env): Java {
  const bin = env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
  // `java -version` writes to stderr.
  const result = spawnSync(bin, ['-version'], { encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new StackError(
      `No Java found (${bin}). The native stack runs Kafka and Cassandra on a JDK ${MINIMUM_JAVA}+: install one (e.g. apt-get install openjdk-17-jdk-headless, or Temurin 17/21) and put it on PATH or set JAVA_HOME.`,
    );
  }
  const output = `${result.stderr}${result.stdout}`;
  return { bin, major: parseJavaMajor(output, bin) };
}

export function parseJavaMajor(versionOutput: string, bin = 'java'): number {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) throw new StackError(`Could not read the Java version from "${bin} -version": ${versionOutput.trim().slice(0, 200)}`);
  const major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
  if (major < MINIMUM_JAVA) {
    throw new StackError(
      `Java ${major} found at ${bin}, but Kafka 4 and Cassandra 5 need Java ${MINIMUM_JAVA} or newer. Install a JDK ${MINIMUM_JAVA}+ and set JAVA_HOME to it.`,
    );
  }
  return major;
}
