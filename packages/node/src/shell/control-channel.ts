/**
 * The control channel: one WebSocket from the node to the coordinator, NOT through any proxy.
 * `openControl` keeps trying until it is open or `timeoutMs` has passed (the coordinator may still
 * be starting); past that it fails with `control-unreachable` and the node exits, so a node whose
 * coordinator is gone never lingers as an orphan.
 */
import type { NodeToCoordinator } from '@faultline/protocol';
import type { Logger } from './logger.js';
import { WebSocket } from 'ws';
import { FaultlineError } from '@faultline/protocol';
import { LAB_SECRET_HEADER } from '@faultline/protocol/lab-secret';
import { zeroMask } from './zero-mask.js';

/** Pause between attempts to open the control channel. */
const RETRY_MS = 200;

/** Opens the control channel; `secret` (the lab's) goes in the handshake. */
export async function openControl(url: string, secret: string, timeoutMs: number, logger: Logger): Promise<WebSocket> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no attempt';
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) throw new FaultlineError('control-unreachable', `could not open the control channel ${url} within ${timeoutMs} ms (${last})`);
    try {
      return await attempt(url, secret, left);
    } catch (err) {
      last = (err as Error).message;
      logger.debug({ url, err: last }, 'control channel not open yet');
      await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, Math.max(0, deadline - performance.now()))));
    }
  }
}

function attempt(url: string, secret: string, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: Math.max(1, Math.round(timeoutMs)),
      generateMask: zeroMask,
      headers: { [LAB_SECRET_HEADER]: secret },
    });
    const fail = (err: Error): void => {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      reject(err);
    };
    ws.once('open', () => {
      ws.removeAllListeners();
      resolve(ws);
    });
    ws.once('error', fail);
    ws.once('close', (code) => fail(new Error(`closed with code ${code}`)));
  });
}

/** Send one message to the coordinator if the channel is open (false if it is not). */
export function sendControl(ws: WebSocket, message: NodeToCoordinator): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false;
  ws.send(JSON.stringify(message));
  return true;
}
