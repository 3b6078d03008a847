'use strict';
// The failures the chaos scenarios inject, each through the Kubernetes API or, for what Kubernetes cannot do, on
// the kind node itself: kill -9 inside the worker's container, and a network partition made of iptables DROP rules
// in the worker pod's network namespace (entered with nsenter from the node: this kernel has no netem, and a
// NetworkPolicy would not cut connections that are already established under kube-router).
const { spawn } = require('node:child_process');
const { kubectl, isReady } = require('./kube');

function docker(args, timeoutMs = 30_000) {
  return new Promise((resolve) => {
    const child = spawn('docker', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// What must be undone if the runner is stopped half-way (a partition, a held worker), by id.
const pendingUndo = new Map();
const undoLater = (id, fn) => pendingUndo.set(id, fn);
const undone = (id) => pendingUndo.delete(id);
async function undoAll() {
  for (const fn of pendingUndo.values()) await fn().catch(() => {});
  pendingUndo.clear();
}

function createFaults({ kube, release, node }) {
  const ns = kube.namespace;

  async function readyPod(component) {
    const pods = await release.readyPods(component);
    if (!pods.length) throw new Error(`no ready ${component} pod`);
    return pods.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
  }

  async function containerPid(pod, container) {
    const status = pod.status.containerStatuses.find((c) => c.name === container);
    const id = status?.containerID?.replace(/^[a-z]+:\/\//, '');
    if (!id) throw new Error(`${pod.metadata.name}: no container ${container}`);
    const out = await docker([
      'exec',
      node,
      'crictl',
      'inspect',
      '--output',
      'go-template',
      '--template',
      '{{.info.pid}}',
      id,
    ]);
    const pid = Number(out.stdout.trim());
    if (out.code !== 0 || !pid) throw new Error(`crictl inspect ${id}: ${out.stderr}`);
    return pid;
  }

  async function nsenter(pid, command) {
    const out = await docker(['exec', node, 'nsenter', '-t', String(pid), '-n', ...command]);
    if (out.code !== 0) throw new Error(`nsenter ${command.join(' ')}: ${out.stderr}`);
  }

  return {
    /** Deletes the CloudNativePG primary's pod (graceful delete, as a node drain or an operator mistake would). */
    async deletePrimary() {
      const pod = await release.primaryPod();
      await kube.deletePod(pod);
      return { target: pod };
    },
    async deleteRabbitmqPod() {
      const pod = (await kube.pods(`app.kubernetes.io/name=${release.names.mq}`))[0];
      await kube.deletePod(pod.metadata.name);
      // The StatefulSet brings back a pod of the same name: its uid tells the new one from the old.
      return { target: pod.metadata.name, uid: pod.metadata.uid };
    },
    async deleteRedisPod() {
      const pod = (await kube.pods(release.selector('redis')))[0];
      await kube.deletePod(pod.metadata.name);
      return { target: pod.metadata.name };
    },
    /** SIGKILL to the worker's node process: no shutdown hook runs, unacknowledged messages go back to the queue. */
    async killWorkerProcess() {
      const pod = await readyPod('worker');
      const script =
        'for d in /proc/[0-9]*; do [ "$(cat $d/comm 2>/dev/null)" = node ] && kill -9 "${d#/proc/}"; done; true';
      // The exec dies with the container, so its exit status says nothing: the restart count is what proves it.
      await kubectl(['-n', ns, 'exec', pod.metadata.name, '-c', 'worker', '--', 'sh', '-c', script]);
      const restarts = pod.status.containerStatuses.find((c) => c.name === 'worker')?.restartCount ?? 0;
      return { target: pod.metadata.name, restartsBefore: restarts };
    },
    /** What `kubectl rollout restart` does: a new pod-template annotation. */
    async rolloutRestart(component) {
      const name = release.names[component];
      await kube.mergePatch(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`, {
        spec: {
          template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } },
        },
      });
      const d = await kube.get(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
      return { target: name, generation: d.metadata.generation };
    },
    /** Drops every AMQP packet of one worker pod, both ways; `heal()` removes the rules. */
    async partitionWorker() {
      const pod = await readyPod('worker');
      const pid = await containerPid(pod, 'worker');
      const rules = [
        ['OUTPUT', '-p', 'tcp', '--dport', '5672', '-j', 'DROP'],
        ['INPUT', '-p', 'tcp', '--sport', '5672', '-j', 'DROP'],
      ];
      const heal = async () => {
        for (const [chain, ...rule] of rules) await nsenter(pid, ['iptables', '-D', chain, ...rule]).catch(() => {});
        undone('partition');
      };
      undoLater('partition', heal);
      for (const [chain, ...rule] of rules) await nsenter(pid, ['iptables', '-I', chain, ...rule]);
      return { target: pod.metadata.name, heal };
    },
  };
}

/** Is the Deployment's newest generation rolled out and every replica of it ready? */
async function rolledOut(kube, name) {
  const d = await kube.get(`/apis/apps/v1/namespaces/${kube.namespace}/deployments/${name}`);
  const s = d?.status ?? {};
  const want = d?.spec?.replicas ?? 0;
  return (
    s.observedGeneration >= d.metadata.generation &&
    (s.updatedReplicas ?? 0) === want &&
    (s.readyReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want
  );
}

module.exports = { createFaults, rolledOut, isReady, undoLater, undone, undoAll };
