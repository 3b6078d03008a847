import type { KubeObject } from './manifests';

/** The parts of built-in and custom kinds the chart tests assert on; everything else stays unknown. */

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
    readonly configMapKeyRef?: { readonly name: string; readonly key: string };
  };
}

export interface SecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[]; readonly add?: readonly string[] };
  readonly seccompProfile?: { readonly type: string };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly {
    readonly secretRef?: { readonly name: string };
    readonly configMapRef?: { readonly name: string };
  }[];
  readonly securityContext?: SecurityContext;
  readonly resources?: {
    readonly requests?: Readonly<Record<string, string>>;
    readonly limits?: Readonly<Record<string, string>>;
  };
  readonly readinessProbe?: unknown;
  readonly livenessProbe?: unknown;
}

export interface Volume {
  readonly name: string;
  readonly secret?: { readonly secretName: string };
  readonly projected?: { readonly sources: readonly { readonly secret?: { readonly name: string } }[] };
}

export interface PodSpec {
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly securityContext?: SecurityContext & { readonly runAsUser?: number; readonly fsGroup?: number };
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
}

export interface PodTemplate {
  readonly metadata?: {
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: PodSpec;
}

export interface Deployment extends KubeObject {
  readonly spec: {
    readonly replicas?: number;
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly template: PodTemplate;
  };
}

export interface Job extends KubeObject {
  readonly spec: { readonly template: PodTemplate };
}

export interface ServiceAccount extends KubeObject {
  readonly automountServiceAccountToken?: boolean;
}

export interface MetricSpec {
  readonly type: 'Resource' | 'Pods' | 'Object' | 'External' | 'ContainerResource';
  readonly resource?: { readonly name: string; readonly target: Readonly<Record<string, unknown>> };
  readonly pods?: { readonly metric: { readonly name: string }; readonly target: Readonly<Record<string, unknown>> };
  readonly object?: { readonly metric: { readonly name: string }; readonly target: Readonly<Record<string, unknown>> };
  readonly external?: {
    readonly metric: { readonly name: string; readonly selector?: unknown };
    readonly target: Readonly<Record<string, unknown>>;
  };
}

export interface HorizontalPodAutoscaler extends KubeObject {
  readonly spec: {
    readonly scaleTargetRef: { readonly kind: string; readonly name: string };
    readonly minReplicas?: number;
    readonly maxReplicas: number;
    readonly metrics?: readonly MetricSpec[];
  };
}

export interface ScaledObject extends KubeObject {
  readonly spec: {
    readonly scaleTargetRef: { readonly name: string; readonly kind?: string };
    readonly minReplicaCount?: number;
    readonly maxReplicaCount?: number;
    readonly triggers: readonly {
      readonly type: string;
      readonly metricType?: string;
      readonly metadata?: Readonly<Record<string, string>>;
      readonly authenticationRef?: { readonly name: string; readonly kind?: string };
    }[];
  };
}

export interface TriggerAuthentication extends KubeObject {
  readonly spec: {
    readonly secretTargetRef?: readonly { readonly parameter: string; readonly name: string; readonly key: string }[];
  };
}

export interface PodDisruptionBudget extends KubeObject {
  readonly spec: {
    readonly minAvailable?: number | string;
    readonly maxUnavailable?: number | string;
    readonly selector: { readonly matchLabels?: Readonly<Record<string, string>> };
  };
}

export interface NetworkPolicy extends KubeObject {
  readonly spec: {
    readonly podSelector: { readonly matchLabels?: Readonly<Record<string, string>> };
    readonly policyTypes?: readonly string[];
  };
}

export interface Secret extends KubeObject {
  readonly type?: string;
  readonly stringData?: Readonly<Record<string, string>>;
  readonly data?: Readonly<Record<string, string>>;
}
