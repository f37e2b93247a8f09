import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DEFAULT_URL, redisProblem } from './helpers/cluster.ts';

/**
 * Once per test run: the tests of several processes need Redis. When none answers at REDIS_URL
 * (or 127.0.0.1:6379) and redis-server is installed, one is started for the run (nothing kept on
 * disk) and stopped after it; the test processes inherit its address. Without either, only those
 * tests fail, with what to do (tests/helpers/cluster.ts).
 */
export default async function setup(): Promise<() => void> {
  let child: ChildProcess | null = null;
  const url = process.env.REDIS_URL ?? DEFAULT_URL;
  if ((await redisProblem(url)) !== null && spawnSync('redis-server', ['--version']).status === 0) {
    const port = await freePort();
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const started = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && (await redisProblem(started)) !== null; i++) await new Promise((r) => setTimeout(r, 50));
    process.env.REDIS_URL = started;
  }
  return () => {
    child?.kill();
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
