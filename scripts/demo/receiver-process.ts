import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { packageRoot } from '../../gateway/paths.js';

export interface ReceiverProcess {
  /** Base URL the gateway posts to, e.g. http://127.0.0.1:PORT/exchange */
  url: string;
  /** Control API, e.g. http://127.0.0.1:PORT/_receiver */
  control: string;
  child: ChildProcess;
  /** Called for each batch the receiver logs. */
  onBatch(listener: (entry: Record<string, unknown>) => void): void;
  stop(): Promise<void>;
}

/**
 * Runs the reference platform receiver as its own process, as the real
 * platform would be: the gateway shares nothing with it but HTTP.
 */
export async function startReceiverProcess(options: { gateways: Record<string, string>; port?: number }): Promise<ReceiverProcess> {
  const main = join(packageRoot(), 'dist', 'scripts', 'receiver', 'main.js');
  const args = [main, '--port', String(options.port ?? 0), '--host', '127.0.0.1'];
  for (const [id, secret] of Object.entries(options.gateways)) args.push('--gateway', `${id}=${secret}`);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const listeners: ((entry: Record<string, unknown>) => void)[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The receiver logs a line per batch: always drain stdout, or it blocks once the pipe fills.
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<{ url: string; control: string }>((resolve, reject) => {
    lines.on('line', (line) => {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line);
      } catch {
        return;
      }
      if (event.event === 'listening') resolve({ url: String(event.url), control: String(event.control) });
      else if (event.event === 'batch') for (const l of listeners) l(event);
    });
    child.once('exit', (code) => reject(new Error(`receiver exited with ${code} before listening: ${stderr}`)));
  });
  const { url, control } = await ready;
  return {
    url,
    control,
    child,
    onBatch: (l) => listeners.push(l),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
