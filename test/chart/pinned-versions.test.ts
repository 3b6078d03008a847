import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './support/tools';

/**
 * The Makefile pins every tool and operator version once; scripts fall back to their own default when run on their
 * own, and the public install (k8s/install-operators.sh) installs operators by release. All of them must name the
 * same versions, or the chart is tested against one operator and installed with another.
 */

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

function makefilePins(): Map<string, string> {
  return new Map([...read('Makefile').matchAll(/^([A-Z_]+_VERSION) \?= (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** `: "${NAME_VERSION:=v1.2.3}"` defaults in every script under scripts/, with the file that sets them. */
function scriptDefaults(): { file: string; name: string; version: string }[] {
  return ['scripts', 'scripts/k8s'].flatMap((dir) => scriptDefaultsIn(dir));
}

function scriptDefaultsIn(dir: string): { file: string; name: string; version: string }[] {
  return readdirSync(path.join(REPO_ROOT, dir))
    .filter((f) => f.endsWith('.sh'))
    .flatMap((f) =>
      [...read(`${dir}/${f}`).matchAll(/^: "\$\{([A-Z_]+_VERSION):=([^}]+)\}"$/gm)].map((m) => ({
        file: `${dir}/${f}`,
        name: m[1]!,
        version: m[2]!,
      })),
    );
}

test('every script defaults to the version the Makefile pins', () => {
  const pins = makefilePins();

  const differing = scriptDefaults()
    .filter((d) => pins.has(d.name) && pins.get(d.name) !== d.version)
    .map((d) => `${d.file}: ${d.name}=${d.version}, Makefile ${pins.get(d.name)}`);

  expect(pins.get('RABBITMQ_OPERATOR_VERSION')).toBeDefined();
  expect(differing).toEqual([]);
});

test('k8s/install-operators.sh installs the operators the chart is tested against', () => {
  const pins = makefilePins();
  const script = read('k8s/install-operators.sh');
  const value = (name: string) => new RegExp(`^${name}=(\\S+)`, 'm').exec(script)?.[1];

  expect(value('RABBITMQ_OPERATOR_VERSION')).toBe(pins.get('RABBITMQ_OPERATOR_VERSION'));
  expect(`v${value('KEDA_CHART_VERSION')}`).toBe(pins.get('KEDA_VERSION'));
  // The CloudNativePG chart has versions of its own; its comment names the operator it installs.
  expect(/^CNPG_CHART_VERSION=\S+\s+#.*operator (\S+)/m.exec(script)?.[1]).toBe(pins.get('CNPG_VERSION')?.slice(1));
});

test('docs/kubernetes.md lists the RabbitMQ operator version that is installed', () => {
  expect(read('docs/kubernetes.md')).toContain(
    `| RabbitMQ cluster operator | ${makefilePins().get('RABBITMQ_OPERATOR_VERSION')} |`,
  );
});
