/**
 * The Docker files agree with the repository and with each other (read as files: the engine test,
 * docker-lab.test.ts, runs them for real): the Dockerfile installs every workspace, the compose
 * file gives each node a container whose agent the coordinator names, and publishes nothing
 * beyond this machine's loopback.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string): string => readFileSync(`${ROOT}/${file}`, 'utf8');

interface Service {
  hostname?: string;
  entrypoint?: string[];
  command?: string[];
  ports?: string[];
  profiles?: string[];
}

/** As Compose reads it with none of its settings in the environment: each `${NAME:-default}` its default. */
const composeText = read('docker-compose.yml').replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };

describe('the Dockerfile', () => {
  it("copies every workspace's package.json before npm ci (so the install sees every workspace)", () => {
    const dockerfile = read('Dockerfile');
    const packages = readdirSync(`${ROOT}/packages`).sort();
    const copied = [...dockerfile.matchAll(/^COPY packages\/([a-z-]+)\/package\.json /gm)].map((m) => m[1]).sort();
    expect(copied).toEqual(packages);
    expect(dockerfile.indexOf('RUN npm ci')).toBeGreaterThan(dockerfile.lastIndexOf('/package.json '));
  });

  it('runs as a user that is not root, with a health check', () => {
    const dockerfile = read('Dockerfile');
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(finalStage).toMatch(/^USER node$/m);
    expect(finalStage).toMatch(/^HEALTHCHECK /m);
  });
});

describe('docker-compose.yml', () => {
  const services = compose.services;
  const nodes = Object.keys(services).filter((name) => /^n[0-9]+$/.test(name));
  const coordinator = services.coordinator;
  const flag = (name: string): string | undefined => coordinator.command?.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

  it('gives every node a container of its own, named as the node, running an agent', () => {
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    for (const id of nodes) {
      expect(services[id].hostname).toBe(id);
      expect(services[id].entrypoint?.[0]).toBe('faultline-agent');
    }
  });

  it("names each node's agent, in order, for the coordinator", () => {
    expect(flag('agents')?.split(',')).toEqual(nodes.map((id) => `${id}:7070`));
    expect(flag('advertise')).toBe(coordinator.hostname);
  });

  it("publishes only the coordinator's port, on 127.0.0.1, the same port inside and out", () => {
    for (const [name, service] of Object.entries(services)) if (name !== 'coordinator') expect(service.ports ?? []).toEqual([]);
    expect(coordinator.ports).toHaveLength(1);
    const [host, outside, inside] = coordinator.ports![0].split(':');
    expect(host).toBe('127.0.0.1');
    expect(outside).toBe(inside);
    expect(flag('port')).toBe(inside);
  });

  it('keeps the real Toxiproxy behind its own profile', () => {
    expect(services.toxiproxy?.profiles).toEqual(['toxiproxy']);
    expect(services.toxiproxy && 'image' in services.toxiproxy ? (services.toxiproxy as { image: string }).image : '').toMatch(/^ghcr\.io\/shopify\/toxiproxy:/);
  });
});
