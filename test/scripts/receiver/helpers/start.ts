import { createReceiver, type Receiver } from '../../../../scripts/receiver/receiver.js';
import type { ReceiverOptions } from '../../../../scripts/receiver/types.js';
import { GATEWAY, SECRET } from './client.js';

export interface Started {
  receiver: Receiver;
  url: string;
  control: string;
}

/** A receiver on a free loopback port, closed when the test ends. */
export async function start(
  t: { teardown(fn: () => unknown): void },
  options: Partial<ReceiverOptions> = {},
): Promise<Started> {
  const receiver = createReceiver({ gateways: { [GATEWAY]: SECRET }, ...options });
  const { url, control } = await receiver.listen();
  t.teardown(() => receiver.close());
  return { receiver, url, control };
}
