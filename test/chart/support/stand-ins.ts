import type { KubeObject } from './manifests';
import type { Container, Deployment, Job, PodTemplate, Secret, TriggerAuthentication } from './shapes';

/**
 * What the CloudNativePG and RabbitMQ operators would create for the chart's custom resources. No operator runs
 * on the test control plane, so these stand in, with the names and keys the operators document.
 */
export function operatorStandIns(rendered: readonly KubeObject[], namespace: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const cluster of rendered.filter((o) => o.apiVersion === 'postgresql.cnpg.io/v1' && o.kind === 'Cluster')) {
    const name = cluster.metadata.name;
    const uri = `postgresql://app:stand-in@${name}-rw.${namespace}:5432/app`;
    objects.push(
      secret(`${name}-app`, 'kubernetes.io/basic-auth', {
        username: 'app',
        user: 'app',
        password: 'stand-in',
        dbname: 'app',
        host: `${name}-rw`,
        port: '5432',
        uri,
        pgpass: `${name}-rw:5432:app:app:stand-in\n`,
        'jdbc-uri': `jdbc:postgresql://${name}-rw.${namespace}:5432/app`,
      }),
    );
    for (const role of ['rw', 'ro', 'r'])
      objects.push(service(`${name}-${role}`, { 'cnpg.io/cluster': name }, [['postgres', 5432]]));
  }
  for (const pooler of rendered.filter((o) => o.apiVersion === 'postgresql.cnpg.io/v1' && o.kind === 'Pooler')) {
    objects.push(service(pooler.metadata.name, { 'cnpg.io/poolerName': pooler.metadata.name }, [['pgbouncer', 5432]]));
  }
  for (const mq of rendered.filter((o) => o.apiVersion === 'rabbitmq.com/v1beta1' && o.kind === 'RabbitmqCluster')) {
    const name = mq.metadata.name;
    const host = `${name}.${namespace}.svc`;
    objects.push(
      secret(`${name}-default-user`, 'Opaque', {
        username: 'stand-in',
        password: 'stand-in',
        host,
        port: '5672',
        provider: 'rabbitmq',
        type: 'rabbitmq',
        connection_string: `amqp://stand-in:stand-in@${host}:5672/`,
        'default_user.conf': 'default_user = stand-in\ndefault_pass = stand-in\n',
      }),
    );
    const selector = { 'app.kubernetes.io/name': name };
    objects.push(
      service(name, selector, [
        ['amqp', 5672],
        ['management', 15672],
        ['prometheus', 15692],
      ]),
    );
    objects.push(
      service(
        `${name}-nodes`,
        selector,
        [
          ['epmd', 4369],
          ['cluster-rpc', 25672],
        ],
        true,
      ),
    );
  }
  return objects;
}

/** Secrets the rendered objects reference (by name, with the keys used) that neither the chart nor an operator stand-in provides: the "existingSecret" ones a user creates beforehand. */
export function userSecretStandIns(rendered: readonly KubeObject[], provided: readonly KubeObject[]): KubeObject[] {
  const have = new Set([...rendered, ...provided].filter((o) => o.kind === 'Secret').map((o) => o.metadata.name));
  const wanted = referencedSecrets(rendered);
  return [...wanted]
    .filter(([name]) => !have.has(name))
    .map(([name, keys]) => secret(name, 'Opaque', Object.fromEntries([...keys].map((k) => [k, `stand-in-${k}`]))));
}

export function referencedSecrets(rendered: readonly KubeObject[]): Map<string, Set<string>> {
  const refs = new Map<string, Set<string>>();
  const add = (name: string, key?: string): void => {
    const keys = refs.get(name) ?? new Set<string>();
    if (key !== undefined) keys.add(key);
    refs.set(name, keys);
  };
  for (const template of podTemplates(rendered)) {
    const containers: Container[] = [...template.spec.containers, ...(template.spec.initContainers ?? [])];
    for (const c of containers) {
      for (const e of c.env ?? [])
        if (e.valueFrom?.secretKeyRef) add(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
      for (const e of c.envFrom ?? []) if (e.secretRef) add(e.secretRef.name);
    }
    for (const v of template.spec.volumes ?? []) {
      if (v.secret) add(v.secret.secretName);
      for (const s of v.projected?.sources ?? []) if (s.secret) add(s.secret.name);
    }
  }
  for (const auth of rendered.filter((o) => o.kind === 'TriggerAuthentication') as TriggerAuthentication[]) {
    for (const ref of auth.spec.secretTargetRef ?? []) add(ref.name, ref.key);
  }
  return refs;
}

export function podTemplates(objects: readonly KubeObject[]): PodTemplate[] {
  const templates: PodTemplate[] = [];
  for (const o of objects) {
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind))
      templates.push((o as Deployment | Job).spec.template);
    if (o.kind === 'CronJob')
      templates.push(
        (o as unknown as { spec: { jobTemplate: { spec: { template: PodTemplate } } } }).spec.jobTemplate.spec.template,
      );
    if (o.kind === 'Pod') templates.push({ spec: (o as unknown as { spec: PodTemplate['spec'] }).spec });
  }
  return templates;
}

function secret(name: string, type: string, stringData: Record<string, string>): Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name }, type, stringData };
}

function service(
  name: string,
  selector: Record<string, string>,
  ports: [string, number][],
  headless = false,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: {
      ...(headless ? { clusterIP: 'None' } : {}),
      selector,
      ports: ports.map(([portName, port]) => ({ name: portName, port, targetPort: port, protocol: 'TCP' })),
    },
  };
}
