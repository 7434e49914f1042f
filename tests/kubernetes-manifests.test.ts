/**
 * The lab's Kubernetes manifests (deploy/kubernetes, docs/kubernetes.md), read as files. No cluster
 * runs here: every object is validated offline against the Kubernetes API's own schemas
 * (`kubernetes-models`: validators compiled from the Kubernetes OpenAPI spec, one per
 * apiVersion/kind), and the manifests are checked to agree with each other and with the lab: the
 * coordinator names every node pod, in order, in --agents; every Service a pod dials by name is
 * headless; every container runs from the one image, not as root; the proxy's token comes from the
 * Secret; only the coordinator mounts a service account token, whose Role lets it read and delete
 * pods in the lab's namespace and nothing else (`--kill-by=pod`: kill deletes the node's pod). The
 * same image and agents run for real under Docker Compose in docker-lab.test.ts; no API call of
 * the coordinator's was ever made against a real cluster (docs/kubernetes.md).
 *
 * The schemas check types, required fields, enums and formats (a quantity, a port number), not
 * unknown fields (Kubernetes' schemas allow them; the API server's strict field validation does
 * not): the fields the lab relies on are named one by one below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet, type IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Role, type IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding, type IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Namespace, type INamespace } from 'kubernetes-models/v1/Namespace';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { Secret, type ISecret } from 'kubernetes-models/v1/Secret';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { ServiceAccount, type IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { podsOfNodes } from '../packages/coordinator/src/kubernetes/pods.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIR = 'deploy/kubernetes';
const NAMESPACE = 'faultline';
const IMAGE = 'faultline:local';
const TOKEN_ENV = 'FAULTLINE_PROXY_TOKEN';
/** Memory of each part of the lab, idle, in MiB: docs/docker.md (cgroup memory, under Docker). */
const MEASURED_MIB: Readonly<Record<string, number>> = { node: 35.5, proxy: 16.4, coordinator: 45.1 };

const read = (file: string): string => readFileSync(`${ROOT}/${file}`, 'utf8');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

/** The schema of each apiVersion/kind the manifests use: a kind not here fails the test (add it). */
const SCHEMAS: Readonly<Record<string, (data: unknown) => { validate(): void }>> = {
  'v1/Namespace': (d) => new Namespace(d as INamespace),
  'v1/Secret': (d) => new Secret(d as ISecret),
  'v1/Service': (d) => new Service(d as IService),
  'v1/ServiceAccount': (d) => new ServiceAccount(d as IServiceAccount),
  'rbac.authorization.k8s.io/v1/Role': (d) => new Role(d as IRole),
  'rbac.authorization.k8s.io/v1/RoleBinding': (d) => new RoleBinding(d as IRoleBinding),
  'apps/v1/Deployment': (d) => new Deployment(d as IDeployment),
  'apps/v1/StatefulSet': (d) => new StatefulSet(d as IStatefulSet),
  'networking.k8s.io/v1/NetworkPolicy': (d) => new NetworkPolicy(d as INetworkPolicy),
};

/** Throws what the Kubernetes schema of the object's apiVersion/kind says is wrong with it. */
function validate(data: unknown): void {
  const { apiVersion, kind } = (data ?? {}) as Partial<K8sObject>;
  const schema = SCHEMAS[`${apiVersion}/${kind}`];
  if (!schema) throw new Error(`no schema here for apiVersion ${apiVersion} kind ${kind}`);
  schema(data).validate();
}

// ── the files, as kubectl reads them (YAML 1.1, as Kubernetes' own parser) ─────────────────────────
const kustomization = parse(read(`${DIR}/kustomization.yaml`), { version: '1.1' }) as { namespace?: string; resources?: string[] };
const files = readdirSync(`${ROOT}/${DIR}`).filter((f) => f !== 'kustomization.yaml');
const documents = (kustomization.resources ?? []).flatMap((file) =>
  parseAllDocuments(read(`${DIR}/${file}`), { version: '1.1' }).map((doc, i) => ({ file, i, doc, data: doc.toJS() as unknown })),
);
const objects = documents.map((d) => d.data as K8sObject);

function one<T>(kind: string, name: string): T & K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found, `${kind} ${name}`).toHaveLength(1);
  return found[0] as T & K8sObject;
}

const coordinator = one<IDeployment>('Deployment', 'coordinator');
const proxy = one<IDeployment>('Deployment', 'proxy');
const nodes = one<IStatefulSet>('StatefulSet', 'node');
const secret = one<ISecret>('Secret', 'faultline-proxy-token');
const templates: ReadonlyArray<{ workload: string; template: IPodTemplateSpec }> = objects
  .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
  .map((o) => ({ workload: o.metadata.name, template: (o as IDeployment | IStatefulSet).spec!.template }));

const mainContainer = (workload: { spec?: { template: IPodTemplateSpec } }): IContainer => {
  const containers = workload.spec!.template.spec!.containers;
  expect(containers).toHaveLength(1);
  return containers[0];
};
const allContainers = (t: IPodTemplateSpec): IContainer[] => [...(t.spec!.initContainers ?? []), ...t.spec!.containers];
const argv = (c: IContainer): string[] => [...(c.command ?? []), ...(c.args ?? [])];
/** `--name=value` or `--name value` in a container's command line. */
function flag(c: IContainer, name: string): string | undefined {
  const a = argv(c);
  const i = a.findIndex((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return a[i].includes('=') ? a[i].slice(name.length + 3) : a[i + 1];
}
const envValue = (c: IContainer, name: string): string | undefined => c.env?.find((e) => e.name === name)?.value;
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
/** A container port by number or by name. */
function portOf(c: IContainer, port: number | string | undefined): number | undefined {
  return typeof port === 'number' ? port : c.ports?.find((p) => p.name === port)?.containerPort;
}

/** A quantity in MiB (memory) or in cores (cpu). */
function mib(q: string | number | undefined): number {
  const m = /^([0-9.]+)(Ki|Mi|Gi)?$/.exec(String(q));
  if (!m) throw new Error(`not a memory quantity here: ${String(q)}`);
  const unit: Record<string, number> = { '': 1 / (1024 * 1024), Ki: 1 / 1024, Mi: 1, Gi: 1024 };
  return Number(m[1]) * unit[m[2] ?? ''];
}
function cores(q: string | number | undefined): number {
  const m = /^([0-9.]+)(m)?$/.exec(String(q));
  if (!m) throw new Error(`not a cpu quantity here: ${String(q)}`);
  return Number(m[1]) / (m[2] ? 1000 : 1);
}

describe(`${DIR}, against the Kubernetes API schemas`, () => {
  it('lists every manifest in kustomization.yaml, each object in the faultline namespace', () => {
    expect(kustomization.namespace).toBe(NAMESPACE);
    expect([...(kustomization.resources ?? [])].sort()).toEqual([...files].sort());
    for (const { file, i, doc, data } of documents) {
      expect(doc.errors, `${file} document ${i}`).toEqual([]);
      expect(data, `${file} document ${i} is empty`).toBeTruthy();
    }
    for (const o of objects) {
      if (o.kind === 'Namespace') expect(o.metadata.name).toBe(NAMESPACE);
      else expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe(NAMESPACE);
    }
    const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('validates every object against the schema of its apiVersion and kind', () => {
    const wrong: string[] = [];
    for (const { file, data } of documents) {
      try {
        validate(data);
      } catch (err) {
        const o = data as Partial<K8sObject>;
        wrong.push(`${file}: ${o.kind} ${o.metadata?.name}: ${(err as Error).message}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'Deployment',
      'Deployment',
      'Namespace',
      'NetworkPolicy',
      'Role',
      'RoleBinding',
      'Secret',
      'Service',
      'Service',
      'Service',
      'ServiceAccount',
      'StatefulSet',
    ]);
  });

  it('rejects broken objects: the validation is real', () => {
    const copy = (): IDeployment => structuredClone(coordinator);
    expect(() => validate(copy())).not.toThrow();

    const replicasAsText = copy() as unknown as { spec: { replicas: unknown } };
    replicasAsText.spec.replicas = '1';
    expect(() => validate(replicasAsText)).toThrow('data/spec/replicas must be integer');

    const nameless = copy();
    delete (nameless.spec!.template.spec!.containers[0] as Partial<IContainer>).name;
    expect(() => validate(nameless)).toThrow('data/spec/template/spec/containers/0 must have required property name');

    const badMemory = copy();
    badMemory.spec!.template.spec!.containers[0].resources!.limits!.memory = '512 MB';
    expect(() => validate(badMemory)).toThrow(/resources\/limits\/memory must match format "quantity"/);

    const badPolicy = copy();
    (badPolicy.spec!.template.spec!.containers[0] as { imagePullPolicy?: string }).imagePullPolicy = 'Sometimes';
    expect(() => validate(badPolicy)).toThrow(/imagePullPolicy must be equal to one of the allowed values/);

    const portAsText = structuredClone(one<IService>('Service', 'coordinator')) as unknown as { spec: { ports: { port: unknown }[] } };
    portAsText.spec.ports[0].port = '4000';
    expect(() => validate(portAsText)).toThrow('data/spec/ports/0/port must be integer');

    const badRule = structuredClone(one<IRole>('Role', 'coordinator-pods')) as unknown as { rules: { verbs: unknown }[] };
    badRule.rules[0].verbs = 'delete';
    expect(() => validate(badRule)).toThrow('data/rules/0/verbs must be array');

    const noRoleRef = structuredClone(one<IRoleBinding>('RoleBinding', 'coordinator-pods')) as Partial<IRoleBinding>;
    delete noRoleRef.roleRef;
    expect(() => validate(noRoleRef)).toThrow('data must have required property roleRef');

    expect(() => validate({ ...copy(), apiVersion: 'apps/v1beta1' })).toThrow(/no schema here/);
    expect(() => validate({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })).toThrow(/no schema here/);
  });
});

describe('the lab in the manifests', () => {
  const coordinatorC = mainContainer(coordinator);
  const proxyC = mainContainer(proxy);
  const agentC = mainContainer(nodes);
  const apiPort = Number(flag(coordinatorC, 'port'));
  const agentPort = Number(flag(agentC, 'port'));
  const proxyPort = Number(flag(proxyC, 'port'));
  const proxyUrl = new URL(flag(coordinatorC, 'toxiproxy-url')!);

  it("names every node pod, in order, in the coordinator's --agents, one per replica", () => {
    expect(argv(agentC)[0]).toBe('faultline-agent');
    expect(flag(agentC, 'host')).toBe('0.0.0.0');
    expect(portOf(agentC, 'agent')).toBe(agentPort);
    expect(nodes.spec!.replicas).toBe(5);
    expect(nodes.spec!.podManagementPolicy).toBe('Parallel');
    expect(nodes.spec!.serviceName).toBe('node');
    const pods = Array.from({ length: nodes.spec!.replicas! }, (_, i) => `${nodes.metadata.name}-${i}.${nodes.spec!.serviceName}:${agentPort}`);
    expect(flag(coordinatorC, 'agents')?.split(',')).toEqual(pods);
    expect(pods[0]).toBe('node-0.node:7070');
  });

  it('makes every Service the pods dial by name headless, resolving to the pods it names, ready or not', () => {
    const dialed: Record<string, string> = {
      [flag(coordinatorC, 'advertise')!]: 'coordinator', // each node's control channel (a random port)
      [proxyUrl.hostname]: 'proxy', // the proxy's API and every link's listener (random ports)
      [nodes.spec!.serviceName!]: 'node', // node-N.node: each agent, and each node's peer port (random)
    };
    expect(Object.keys(dialed).sort()).toEqual(['coordinator', 'node', 'proxy']);
    for (const [name, workload] of Object.entries(dialed)) {
      const service = one<IService>('Service', name);
      expect(service.spec!.clusterIP, name).toBe('None');
      expect(service.spec!.publishNotReadyAddresses, name).toBe(true);
      const selector = service.spec!.selector!;
      expect(templates.filter((t) => matches(selector, t.template.metadata?.labels)).map((t) => t.workload), name).toEqual([workload]);
    }
    expect(objects.filter((o) => o.kind === 'Service').length).toBe(3);
  });

  it('lets `kubectl port-forward svc/coordinator 4000:4000` reach the control API on the port it answers for', () => {
    expect(apiPort).toBe(4000);
    expect(flag(coordinatorC, 'host')).toBe('0.0.0.0');
    const port = one<IService>('Service', 'coordinator').spec!.ports!.find((p) => p.port === apiPort);
    expect(port, `the coordinator Service has port ${apiPort}`).toBeDefined();
    expect(portOf(coordinatorC, port!.targetPort)).toBe(apiPort);
  });

  it('runs one coordinator and one proxy, the old one gone before a new one starts', () => {
    for (const d of [coordinator, proxy]) {
      expect(d.spec!.replicas, d.metadata.name).toBe(1);
      expect(d.spec!.strategy?.type, d.metadata.name).toBe('Recreate');
    }
  });

  it('runs every container from the one image, as user 1000, within Pod Security "restricted"', () => {
    expect(one<INamespace>('Namespace', NAMESPACE).metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const { workload, template } of templates) {
      const pod = template.spec!;
      expect(pod.hostNetwork ?? false, workload).toBe(false);
      expect(pod.hostPID ?? false, workload).toBe(false);
      for (const c of allContainers(template)) {
        const where = `${workload}/${c.name}`;
        const sc = c.securityContext ?? {};
        expect(c.image, where).toBe(IMAGE);
        expect(c.imagePullPolicy, where).toBe('IfNotPresent');
        expect(sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, where).toBe(true);
        expect(sc.runAsUser ?? pod.securityContext?.runAsUser, where).toBe(1000);
        expect(sc.allowPrivilegeEscalation, where).toBe(false);
        expect(sc.privileged ?? false, where).toBe(false);
        expect(sc.readOnlyRootFilesystem, where).toBe(true);
        expect(sc.capabilities?.drop, where).toContain('ALL');
        expect(sc.capabilities?.add ?? [], where).toEqual([]);
        expect((sc.seccompProfile ?? pod.securityContext?.seccompProfile)?.type, where).toBe('RuntimeDefault');
      }
    }
  });

  it('gives the coordinator, whose root file system is read-only, a writable /lab for its runs', () => {
    const mount = coordinatorC.volumeMounts?.find((m) => m.mountPath === '/lab');
    expect(mount).toBeDefined();
    expect(mount!.readOnly ?? false).toBe(false);
    const volume = coordinator.spec!.template.spec!.volumes?.find((v) => v.name === mount!.name);
    expect(volume?.emptyDir).toBeDefined();
  });

  it('sizes every container from the measured figures (docs/docker.md), limits above requests', () => {
    expect(Object.keys(MEASURED_MIB).sort()).toEqual(templates.map((t) => t.workload).sort());
    for (const { workload, template } of templates) {
      for (const c of allContainers(template)) {
        const where = `${workload}/${c.name}`;
        const { requests = {}, limits = {} } = c.resources ?? {};
        expect(cores(requests.cpu), where).toBeLessThanOrEqual(cores(limits.cpu));
        expect(mib(requests.memory), where).toBeLessThanOrEqual(mib(limits.memory));
      }
      const c = template.spec!.containers[0];
      // The request covers the process idle; the limit, a burst and a health check: running out
      // of memory would look like a kill the lab did not make.
      expect(mib(c.resources!.requests!.memory), workload).toBeGreaterThanOrEqual(MEASURED_MIB[workload]);
      expect(mib(c.resources!.limits!.memory), workload).toBeGreaterThanOrEqual(4 * MEASURED_MIB[workload]);
    }
  });

  it(`hands ${TOKEN_ENV} from the Secret to the proxy and the coordinator, never written in a manifest`, () => {
    const token = secret.stringData?.token;
    expect(token).toMatch(/^[\x21-\x7e]{8,200}$/); // faultline-proxy's rule for a token
    const holders: string[] = [];
    for (const { workload, template } of templates) {
      for (const c of allContainers(template)) {
        const env = c.env?.find((e) => e.name === TOKEN_ENV);
        if (!env) continue;
        holders.push(`${workload}/${c.name}`);
        expect(env.value, `${workload}/${c.name}`).toBeUndefined();
        expect(env.valueFrom?.secretKeyRef, `${workload}/${c.name}`).toEqual({ name: secret.metadata.name, key: 'token' });
      }
    }
    expect(holders.sort()).toEqual(['coordinator/coordinator', 'coordinator/wait-for-proxy', 'proxy/proxy']);
  });

  it('probes each process where it answers (the proxy with its token, the API with its own Host)', () => {
    const probes = (c: IContainer): IProbe[] => [c.readinessProbe, c.livenessProbe, c.startupProbe].filter((p): p is IProbe => p !== undefined);
    for (const c of [coordinatorC, proxyC, agentC]) {
      expect(c.readinessProbe, c.name).toBeDefined();
      expect(c.livenessProbe, c.name).toBeDefined();
    }
    // faultline-health sends $FAULTLINE_PROXY_TOKEN: an httpGet probe cannot take it from a Secret.
    expect(envValue(proxyC, 'FAULTLINE_HEALTH_URL')).toBe(`http://127.0.0.1:${proxyPort}/version`);
    for (const p of probes(proxyC)) expect(p.exec?.command).toEqual(['faultline-health']);
    // The agent answers /health to anyone, whatever its node is doing (killed, paused).
    for (const p of probes(agentC)) {
      expect(p.httpGet?.path).toBe('/health');
      expect(portOf(agentC, p.httpGet?.port)).toBe(agentPort);
    }
    expect(envValue(agentC, 'FAULTLINE_HEALTH_URL')).toBe(`http://127.0.0.1:${agentPort}/health`);
    // The control API refuses a Host that is not its own (the kubelet would send the pod's address).
    expect(coordinatorC.startupProbe).toBeDefined();
    for (const p of probes(coordinatorC)) {
      expect(p.httpGet?.path).toBe('/status');
      expect(portOf(coordinatorC, p.httpGet?.port)).toBe(apiPort);
      expect(p.httpGet?.httpHeaders).toEqual([{ name: 'Host', value: `127.0.0.1:${apiPort}` }]);
    }
    expect(envValue(coordinatorC, 'FAULTLINE_HEALTH_URL')).toBe(`http://127.0.0.1:${apiPort}/status`);
    // The coordinator starts once the proxy's API answers (faultline up asks it once).
    const wait = coordinator.spec!.template.spec!.initContainers?.find((c) => c.name === 'wait-for-proxy');
    expect(envValue(wait!, 'FAULTLINE_HEALTH_URL')).toBe(`http://${proxyUrl.hostname}:${proxyPort}/version`);
    expect(argv(wait!).join(' ')).toContain('faultline-health');
    expect(proxyUrl.port).toBe(String(proxyPort));
    expect(portOf(proxyC, 'api')).toBe(proxyPort);
  });

  it('runs the commands docker-compose.yml runs: the same proxy, agents and coordinator flags', () => {
    // As Compose reads it with none of its settings in the environment (as docker-files.test.ts).
    const compose = parse(read('docker-compose.yml').replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1'), { merge: true }) as {
      services: Record<string, { entrypoint?: string[]; command?: string[] }>;
    };
    expect(argv(proxyC)).toEqual(compose.services.proxy.entrypoint);
    expect(argv(agentC)).toEqual(compose.services.n1.entrypoint);
    // --kill-by=pod is Kubernetes' own (Compose has no pods to delete).
    const withoutAgents = (args: readonly string[]) => args.filter((a) => !a.startsWith('--agents=') && a !== '--kill-by=pod');
    expect(coordinatorC.command).toEqual(['faultline']);
    expect(withoutAgents(coordinatorC.args ?? [])).toEqual(withoutAgents(compose.services.coordinator.command ?? []));
  });

  it("admits connections to the lab's pods from the lab's pods only (any port)", () => {
    const policy = one<INetworkPolicy>('NetworkPolicy', 'lab-only');
    const selector = policy.spec!.podSelector.matchLabels!;
    for (const { workload, template } of templates) expect(matches(selector, template.metadata?.labels), workload).toBe(true);
    // Egress is not restricted: the coordinator reaches the API server (--kill-by=pod) and every pod the cluster's DNS.
    expect(policy.spec!.policyTypes).toEqual(['Ingress']);
    expect(policy.spec!.egress).toBeUndefined();
    expect(policy.spec!.ingress).toEqual([{ from: [{ podSelector: { matchLabels: selector } }] }]);
    expect(objects.filter((o) => o.kind === 'NetworkPolicy')).toHaveLength(1);
  });
});

describe('kill = delete the pod (--kill-by=pod), with the least the API allows', () => {
  const coordinatorC = mainContainer(coordinator);
  const account = one<IServiceAccount>('ServiceAccount', 'coordinator');
  const role = one<IRole>('Role', 'coordinator-pods');
  const binding = one<IRoleBinding>('RoleBinding', 'coordinator-pods');

  it("enables the mode in the coordinator's arguments, on agents the naming rule maps to the StatefulSet's pods", () => {
    expect(coordinatorC.args).toContain('--kill-by=pod');
    expect(flag(coordinatorC, 'kill-by')).toBe('pod');
    const agents = flag(coordinatorC, 'agents')!.split(',');
    const ids = agents.map((_, i) => `n${i + 1}`);
    const pods = podsOfNodes(ids, agents);
    const statefulPods = Array.from({ length: nodes.spec!.replicas! }, (_, i) => `${nodes.metadata.name}-${i}`);
    expect([...pods.values()]).toEqual(statefulPods);
    expect(pods.get('n2')).toBe('node-1');
  });

  it('mounts a service account token in the coordinator only, as the account the Role is bound to', () => {
    const mounting = templates.filter((t) => t.template.spec!.automountServiceAccountToken !== false).map((t) => t.workload);
    expect(mounting).toEqual(['coordinator']);
    const pod = coordinator.spec!.template.spec!;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe(account.metadata.name);
    for (const { workload, template } of templates) {
      if (workload === 'coordinator') continue;
      // The namespace's default account, without a token: a node or the proxy cannot call the API.
      expect(template.spec!.automountServiceAccountToken, workload).toBe(false);
      expect(template.spec!.serviceAccountName ?? 'default', workload).toBe('default');
    }
    // The account itself hands out no token to a pod that does not ask for one.
    expect(account.automountServiceAccountToken).toBe(false);
    expect(account.secrets ?? []).toEqual([]);
  });

  it('grants get, list, watch and delete on pods in the namespace, and nothing else', () => {
    expect(role.metadata.namespace).toBe(NAMESPACE);
    expect(role.rules).toHaveLength(1);
    const [rule] = role.rules!;
    expect(rule.apiGroups).toEqual(['']);
    expect(rule.resources).toEqual(['pods']);
    expect([...rule.verbs].sort()).toEqual(['delete', 'get', 'list', 'watch']);
    expect(rule.resourceNames).toBeUndefined();
    expect(rule.nonResourceURLs).toBeUndefined();
    // No wildcard anywhere, no subresource (pods/exec, pods/log), no cluster-wide grant.
    expect(JSON.stringify(role.rules)).not.toContain('*');
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding')).toHaveLength(2);
  });

  it('binds the Role to the coordinator\'s account alone, in the namespace', () => {
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: account.metadata.name, namespace: NAMESPACE }]);
  });
});
