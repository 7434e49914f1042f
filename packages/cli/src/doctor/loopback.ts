/**
 * Check 3a, loopback: every process of the lab listens on 127.0.0.1 on a port the system picks
 * (port 0) and connects to the others there. The shell tries exactly that: listen, connect, accept.
 */
import { finding, type Finding } from './finding.js';

export interface LoopbackFacts {
  /** Listened on 127.0.0.1:0, connected to it and was accepted. */
  ok: boolean;
  /** What failed: `listen EADDRNOTAVAIL 127.0.0.1`, `connect timed out after 5 s`. */
  error?: string;
  platform: NodeJS.Platform;
}

export function checkLoopback(facts: LoopbackFacts): Finding {
  if (facts.ok) return finding('loopback', 'ok', 'listens and connects on 127.0.0.1 (port 0)');
  const fix = ['the lab talks over 127.0.0.1 only: loopback must be up and open'];
  if (facts.platform === 'linux') fix.push('bring it up: sudo ip link set lo up');
  fix.push('a firewall, VPN or security tool may block it: allow 127.0.0.1');
  return finding('loopback', 'fail', `127.0.0.1: ${facts.error ?? 'failed'}`, fix);
}
