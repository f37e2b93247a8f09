import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGKILL: no chance to flush anything. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** The compiled server's entry point (`npm start`; built by scripts/buildServer.ts). */
export const COMPILED_ENTRY = join(ROOT, 'dist', 'server', 'server', 'index.js');

/**
 * Runs the real server entry point (server/index.ts) in its own process, so a test can kill -9 it.
 * Pass the port of an earlier run to restart where clients will reconnect. `compiled` runs the
 * compiled JavaScript with plain Node, as `npm start` does, instead of the sources through tsx.
 */
export async function spawnServer(options: {
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
  compiled?: boolean;
}): Promise<ServerProcess> {
  const args = options.compiled ? [COMPILED_ENTRY] : ['--import', 'tsx', join(ROOT, 'server', 'index.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Accord is running: open (http:\/\/\S+?)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const port = Number(new URL(url).port);
  return {
    url,
    port,
    child,
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
