/** Every fact the shell gathered → every check's finding, in the order they are shown. Pure. */
import { checkChromium, type ChromiumFacts } from './chromium.js';
import { checkDocker, type DockerFacts } from './docker.js';
import { report, type Report } from './finding.js';
import type { DoctorFlags } from './flags.js';
import { checkLoopback, type LoopbackFacts } from './loopback.js';
import { checkNode, type NodeFacts } from './node-version.js';
import { checkOpenFiles, type OpenFilesFacts } from './open-files.js';
import { checkPlatform, type PlatformFacts } from './platform.js';
import { checkPort, type PortFacts } from './port.js';

export interface DoctorFacts {
  node: NodeFacts;
  openFiles: OpenFilesFacts;
  loopback: LoopbackFacts;
  /** Only when --port was given. */
  port?: PortFacts;
  chromium: ChromiumFacts;
  docker: DockerFacts;
  platform: PlatformFacts;
}

export function diagnose(facts: DoctorFacts, flags: DoctorFlags): Report {
  return report([
    checkNode(facts.node),
    checkOpenFiles(facts.openFiles, flags.nodes),
    checkLoopback(facts.loopback),
    ...(facts.port ? [checkPort(facts.port)] : []),
    checkChromium(facts.chromium),
    checkDocker(facts.docker, flags.classroom),
    checkPlatform(facts.platform),
  ]);
}
