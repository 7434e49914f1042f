/** The lab's control API, from the page it serves (same origin: the API refuses any other). */
import type { LabStatus, TraceLine } from '@faultline/protocol';

export class ControlError extends Error {}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const value: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ControlError((value as { error?: string } | undefined)?.error ?? `${method} ${path}: ${res.status}`);
  return value as T;
}

export const control = {
  status: (): Promise<LabStatus> => call('GET', '/status'),
  trace: (since = 0): Promise<TraceLine[]> => call('GET', `/trace?since=${since}`),
  node: (id: string, action: 'kill' | 'pause' | 'resume' | 'revive'): Promise<unknown> => call('POST', `/nodes/${id}/${action}`),
  clock: (id: string, body: { offsetMs?: number; driftPpm?: number; jumpMs?: number }): Promise<unknown> => call('POST', `/nodes/${id}/clock`, body),
  partition: (groups: string[][]): Promise<unknown> => call('POST', '/partition', { groups }),
  block: (from: string, to: string): Promise<unknown> => call('POST', '/block', { from, to }),
  heal: (): Promise<unknown> => call('POST', '/heal'),
  link: (from: string, to: string, faults: Record<string, unknown>): Promise<unknown> => call('POST', `/links/${from}/${to}`, faults),
  clearLinks: (from?: string, to?: string, both = false): Promise<unknown> => call('DELETE', from && to ? `/links/${from}/${to}${both ? '?both=true' : ''}` : '/links'),
  hold: (from: string, to: string): Promise<unknown> => call('POST', `/links/${from}/${to}/hold`),
  release: (from: string, to: string): Promise<unknown> => call('POST', `/links/${from}/${to}/release`),
  rpc: (body: { from: string; to: string; msgType: string; timeoutMs?: number }): Promise<unknown> => call('POST', '/rpc', { ...body, body: {} }),
};
