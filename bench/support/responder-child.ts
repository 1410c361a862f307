/** One bench responder process (bench-responder.ts), driven over IPC by bench/poll. */
import { startBenchResponder, type BenchResponder } from './bench-responder.js';

export type ResponderCommand = { type: 'start'; addresses: string[]; port: number; community: string } | { type: 'exit' };
export type ResponderEvent = { type: 'ready'; addresses: number } | { type: 'failed'; error: string };

let running: BenchResponder | null = null;
process.on('message', (cmd: ResponderCommand) => {
  if (cmd.type === 'exit') {
    void (running?.close() ?? Promise.resolve()).finally(() => process.disconnect?.());
    return;
  }
  startBenchResponder(cmd)
    .then((r) => {
      running = r;
      process.send?.({ type: 'ready', addresses: r.addresses } satisfies ResponderEvent);
    })
    .catch((err: unknown) => process.send?.({ type: 'failed', error: String(err) } satisfies ResponderEvent));
});
