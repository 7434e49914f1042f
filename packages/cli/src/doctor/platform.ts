/**
 * Check 6, the platform: Linux and macOS have every fault. Windows has no SIGSTOP, so the lab
 * refuses `pause` there (an `unsupported` error, exit 1); kill and revive work.
 */
import { finding, type Finding } from './finding.js';

export interface PlatformFacts {
  platform: NodeJS.Platform;
  arch: string;
}

export function checkPlatform(facts: PlatformFacts): Finding {
  const name = `${facts.platform} ${facts.arch}`;
  if (facts.platform === 'linux' || facts.platform === 'darwin') return finding('platform', 'ok', `${name}: every fault works (pause is SIGSTOP)`);
  if (facts.platform === 'win32') {
    return finding('platform', 'warn', `${name}: no SIGSTOP, so the lab refuses pause`, [
      'pause fails with "unsupported" (kill and revive work);',
      'the failure-detection lesson pauses a node, so it cannot run here',
      'for every fault: WSL 2, or the lab in Docker (docs/docker.md)',
    ]);
  }
  return finding('platform', 'warn', `${name}: faultline is tested on Linux and macOS only`, ['if a fault misbehaves here, try Linux (a VM or a container)']);
}
