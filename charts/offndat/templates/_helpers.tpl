{{/* Names, labels and the security settings every pod shares. */}}

{{- define "offndat.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped base name; every object name is "<fullname>-<part>", so it keeps room for suffixes. */}}
{{- define "offndat.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else if contains (include "offndat.name" .) .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "offndat.name" .) | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "offndat.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Usage: include "offndat.selectorLabels" (dict "ctx" $ "component" "api") */}}
{{- define "offndat.selectorLabels" -}}
app.kubernetes.io/name: {{ include "offndat.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "offndat.labels" -}}
{{ include "offndat.selectorLabels" . }}
helm.sh/chart: {{ include "offndat.chart" .ctx }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: offndat
{{- with .ctx.Values.global.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels of a component's pods: the standard ones plus the component's podLabels.
Usage: include "offndat.podLabels" (dict "ctx" $ "component" "api" "podLabels" .Values.api.podLabels) */}}
{{- define "offndat.podLabels" -}}
{{ include "offndat.labels" . }}
{{- with .podLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "offndat.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "offndat.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
An image reference: [registry/]repository, then @digest when one is pinned, else :tag (the chart's appVersion by
default). global.imageRegistry replaces every image's registry (a mirror that keeps the repository paths); an
empty registry leaves a bare name, which is how images loaded straight into a node (kind) are addressed.
Usage: include "offndat.image" (dict "image" .Values.api.image "ctx" $)
*/}}
{{- define "offndat.image" -}}
{{- $registry := .ctx.Values.global.imageRegistry | default .image.registry }}
{{- $name := ternary (printf "%s/%s" $registry .image.repository) .image.repository (ne $registry "") }}
{{- if .image.digest }}
{{- printf "%s@%s" $name .image.digest }}
{{- else }}
{{- printf "%s:%s" $name (.image.tag | default .ctx.Chart.AppVersion | toString) }}
{{- end }}
{{- end }}

{{/* Names of objects the operators create from our custom resources. */}}
{{- define "offndat.pg.cluster" -}}{{ include "offndat.fullname" . }}-pg{{- end }}
{{- define "offndat.pg.pooler" -}}{{ include "offndat.fullname" . }}-pg-pooler{{- end }}
{{- define "offndat.mq.cluster" -}}{{ include "offndat.fullname" . }}-mq{{- end }}
{{- define "offndat.redis.name" -}}{{ include "offndat.fullname" . }}-redis{{- end }}

{{/* The Redis password: the user's Secret, or the one the secrets Job generates (never rendered by Helm). */}}
{{- define "offndat.redis.secretName" -}}
{{- .Values.redis.internal.auth.existingSecret | default (printf "%s-auth" (include "offndat.redis.name" .)) }}
{{- end }}

{{/* Whether the secrets Job has a Secret to generate. */}}
{{- define "offndat.secrets.generate" -}}
{{- if and (eq .Values.redis.mode "internal") (not .Values.redis.internal.auth.existingSecret) }}true{{ end }}
{{- end }}

{{- define "offndat.apiKeys.secretName" -}}
{{- .Values.apiKeys.existingSecret | default (printf "%s-api-keys" (include "offndat.fullname" .)) }}
{{- end }}

{{- define "offndat.apiKeys.enabled" -}}
{{- if or .Values.apiKeys.existingSecret .Values.apiKeys.values }}true{{ end }}
{{- end }}

{{/*
The security floor of every container, fixed in the templates: non-root, read-only root filesystem, no
capabilities, no privilege escalation, the runtime's default seccomp profile; writable scratch space is an
emptyDir on /tmp. The values (podSecurityContext, containerSecurityContext) may only add to it: the schema admits
ids, SELinux and AppArmor settings, and the floor is merged last so it always wins.
Usage: include "offndat.podSecurityContext" .Values.podSecurityContext
*/}}
{{- define "offndat.podSecurityContext" -}}
{{- $floor := dict "runAsNonRoot" true "seccompProfile" (dict "type" "RuntimeDefault") }}
{{- toYaml (merge $floor (deepCopy (. | default dict))) }}
{{- end }}

{{- define "offndat.containerSecurityContext" -}}
{{- $floor := dict "allowPrivilegeEscalation" false "readOnlyRootFilesystem" true "runAsNonRoot" true "capabilities" (dict "drop" (list "ALL")) "seccompProfile" (dict "type" "RuntimeDefault") }}
{{- toYaml (merge $floor (deepCopy (. | default dict))) }}
{{- end }}

{{/*
True when the chart is rendered against a real API server (install, upgrade, template --validate).
apiregistration.k8s.io/v1 is served by every API server (kube-aggregator) but is not among the built-in
versions Helm assumes when it renders offline (template, lint), so its presence tells the two apart.
*/}}
{{- define "offndat.liveCluster" -}}
{{- if .Capabilities.APIVersions.Has "apiregistration.k8s.io/v1" }}true{{ end }}
{{- end }}

{{/*
Operator custom resources render whenever the values select them. On a live cluster whose API lacks the
operator's CRDs the release fails here, naming what to install, instead of leaving pods waiting forever
for Secrets that no operator will create. Offline renders (lint, template) cannot know, so they render.
Usage: include "offndat.requireApi" (dict "ctx" $ "api" "keda.sh/v1alpha1" "what" "KEDA" "because" "autoscaling.mode=keda")
*/}}
{{- define "offndat.requireApi" -}}
{{- if and (include "offndat.liveCluster" .ctx) (not (.ctx.Capabilities.APIVersions.Has .api)) }}
{{- fail (printf "%s selects %s, but this cluster does not serve %s. Install it first (k8s/install-operators.sh) or choose another mode." .because .what .api) }}
{{- end }}
{{- end }}

{{/* Monitoring objects are optional extras: skipped quietly when the prometheus-operator CRDs are absent. */}}
{{- define "offndat.monitoringApi" -}}
{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}true{{ end }}
{{- end }}

{{/*
Relabelings of the monitors for pods the chart does not label itself (the operators' PostgreSQL and RabbitMQ
pods): app_kubernetes_io_instance, as the api's and worker's PodMonitors copy it, so every series of the
release (and its `up`) matches the release's rules; metrics_path, so two endpoints on one port stay apart.
*/}}
{{- define "offndat.monitorRelabelings" -}}
- targetLabel: app_kubernetes_io_instance
  replacement: {{ .Release.Name | quote }}
  action: replace
- sourceLabels: [__metrics_path__]
  targetLabel: metrics_path
  action: replace
{{- end }}

{{/* The secrets Job and its RBAC: helm hooks before install and upgrade, Argo CD PreSync hooks (same order). */}}
{{- define "offndat.secrets.hook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
argocd.argoproj.io/hook: PreSync
argocd.argoproj.io/sync-wave: {{ .weight | quote }}
argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
{{- end }}
