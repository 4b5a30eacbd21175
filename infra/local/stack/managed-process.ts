// A JVM service started detached, tracked by a pid file so that a later `stack:down` (or a crash) can
// be told apart from a process somebody else runs on the same port.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { StackError } from './stack-error';

export class ManagedProcess {
  readonly pidFile: string;
  readonly logFile: string;

  constructor(
    readonly name: string,
    runDir: string,
    logDir: string,
  ) {
    this.pidFile = path.join(runDir, `${name}.pid`);
    this.logFile = path.join(logDir, `${name}.out`);
  }

  pid(): number | undefined {
    if (!fs.existsSync(this.pidFile)) return undefined;
    const pid = Number(fs.readFileSync(this.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  /** True when the recorded pid is alive and is still our JVM (pids are reused after a reboot). */
  isRunning(): boolean {
    const pid = this.pid();
    if (pid === undefined) return false;
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`-Dlocal.stack.service=${this.name}`);
    } catch {
      return true; // no /proc (macOS): trust the live pid
    }
  }

  start(javaBin: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
    fs.mkdirSync(path.dirname(this.pidFile), { recursive: true });
    fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
    const out = fs.openSync(this.logFile, 'a');
    const child = spawn(javaBin, [`-Dlocal.stack.service=${this.name}`, ...args], {
      detached: true,
      stdio: ['ignore', out, out],
      env,
    });
    fs.closeSync(out);
    child.unref();
    if (child.pid === undefined) throw new StackError(`${this.name} did not start (${javaBin})`);
    fs.writeFileSync(this.pidFile, String(child.pid));
    return child.pid;
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
  async stop(graceMs = 20_000): Promise<boolean> {
    const pid = this.pid();
    if (pid === undefined || !this.isRunning()) {
      fs.rmSync(this.pidFile, { force: true });
      return false;
    }
    this.signal('SIGCONT'); // a frozen process cannot handle SIGTERM
    this.signal('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (this.isAlive(pid) && Date.now() < deadline) await sleep(200);
    if (this.isAlive(pid)) {
      this.signal('SIGKILL');
      while (this.isAlive(pid)) await sleep(100);
    }
    fs.rmSync(this.pidFile, { force: true });
    return true;
  }

  /** Test hook for fault drills: SIGSTOP freezes the JVM without closing its sockets, SIGCONT thaws it. */
  signal(signal: NodeJS.Signals): void {
    const pid = this.pid();
    if (pid === undefined) return;
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }

  logTail(lines = 30): string {
    if (!fs.existsSync(this.logFile)) return '(no output)';
    return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  private isAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when something accepts TCP connections on host:port. */
export function isListening(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
