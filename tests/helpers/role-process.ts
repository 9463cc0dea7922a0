import { spawn, type ChildProcess } from 'node:child_process';

/** A `topic-digest <role>` child process with its log captured. */
export interface RoleProcess {
  child: ChildProcess;
  /** Everything it wrote to stderr (the log) so far. */
  log(): string;
  /** Resolves with the exit code once it has exited. */
  exited: Promise<number | null>;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node bin/topic-digest.js …args` with `env` added to this process's environment. */
export function startRole(args: string[], env: Record<string, string>): RoleProcess {
  const child = spawn(process.execPath, ['bin/topic-digest.js', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    log: () => log,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Sums field `key` over every `digest tick` line of a log (JSON lines: the child's stderr is a pipe). */
export function sumTickField(log: string, key: string): number {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === 'digest tick')
    .reduce((n, entry) => n + Number(entry[key] ?? 0), 0);
}
