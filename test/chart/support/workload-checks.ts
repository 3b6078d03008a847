import type { Container, Deployment, EnvVar, PodTemplate, SecurityContext } from './shapes';

/**
 * The chart's hard-coded security posture, checked on every container of a pod template: the effective
 * setting is the container's, falling back to the pod's where Kubernetes allows it.
 */
export function securityViolations(where: string, template: PodTemplate): string[] {
  const pod = template.spec.securityContext ?? {};
  const problems: string[] = [];
  const containers: Container[] = [...template.spec.containers, ...(template.spec.initContainers ?? [])];
  for (const c of containers) {
    const sc: SecurityContext = c.securityContext ?? {};
    const at = `${where} container ${c.name}`;
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot is not true`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem is not true`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: capabilities.drop lacks ALL`);
    if ((sc.capabilities?.add ?? []).length > 0) problems.push(`${at}: adds capabilities`);
    if ((sc.seccompProfile ?? pod.seccompProfile)?.type !== 'RuntimeDefault')
      problems.push(`${at}: seccomp is not RuntimeDefault`);
    if (c.resources?.requests?.['cpu'] === undefined || c.resources.requests['memory'] === undefined) {
      problems.push(`${at}: no cpu/memory requests`);
    }
  }
  return problems;
}

export function envVar(template: PodTemplate, container: string | undefined, name: string): EnvVar | undefined {
  const c =
    container === undefined ? template.spec.containers[0] : template.spec.containers.find((x) => x.name === container);
  return c?.env?.find((e) => e.name === name);
}

/** Whether a label selector selects the pods of a template. */
export function selects(selector: Readonly<Record<string, string>> | undefined, template: PodTemplate): boolean {
  if (selector === undefined || Object.keys(selector).length === 0) return false;
  const labels = template.metadata?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** With PgBouncer, the URL is built from the operator's credentials and points at one of the Poolers' Services. */
export function expectPoolerUrl(
  d: Deployment,
  url: string | undefined,
  appSecret: string,
  poolers: readonly string[],
): void {
  const host = /^postgresql:\/\/\$\(PGUSER\):\$\(PGPASSWORD\)@([^:/]+):5432\/\$\(PGDATABASE\)$/.exec(url ?? '')?.[1];
  expect(poolers).toContain(host);
  for (const variable of ['PGUSER', 'PGPASSWORD', 'PGDATABASE']) {
    const names = d.spec.template.spec.containers[0]?.env?.map((e) => e.name) ?? [];
    // $(VAR) only expands for variables defined earlier in the list.
    expect(names.indexOf(variable)).toBeLessThan(names.indexOf('DATABASE_URL'));
    expect(envVar(d.spec.template, undefined, variable)?.valueFrom?.secretKeyRef?.name).toBe(appSecret);
  }
}
