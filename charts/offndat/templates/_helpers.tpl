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
{{- end }}

{{- define "offndat.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "offndat.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Usage: include "offndat.image" (dict "image" .Values.api.image "ctx" $) */}}
{{- define "offndat.image" -}}
{{- $tag := .image.tag | default .ctx.Chart.AppVersion | toString }}
{{- if .image.registry }}
{{- printf "%s/%s:%s" .image.registry .image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .image.repository $tag }}
{{- end }}
{{- end }}

{{/* Names of objects the operators create from our custom resources. */}}
{{- define "offndat.pg.cluster" -}}{{ include "offndat.fullname" . }}-pg{{- end }}
{{- define "offndat.pg.pooler" -}}{{ include "offndat.fullname" . }}-pg-pooler{{- end }}
{{- define "offndat.mq.cluster" -}}{{ include "offndat.fullname" . }}-mq{{- end }}
{{- define "offndat.redis.name" -}}{{ include "offndat.fullname" . }}-redis{{- end }}

{{- define "offndat.redis.secretName" -}}
{{- .Values.redis.internal.auth.existingSecret | default (include "offndat.redis.name" .) }}
{{- end }}

{{- define "offndat.apiKeys.secretName" -}}
{{- .Values.apiKeys.existingSecret | default (printf "%s-api-keys" (include "offndat.fullname" .)) }}
{{- end }}

{{- define "offndat.apiKeys.enabled" -}}
{{- if or .Values.apiKeys.existingSecret .Values.apiKeys.values }}true{{ end }}
{{- end }}

{{/*
Hard-coded, not knobs: every container runs as a non-root user with a read-only root filesystem, no
capabilities and the runtime's default seccomp profile. Writable scratch space is an emptyDir on /tmp.
*/}}
{{- define "offndat.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid | default 1000 }}
runAsGroup: {{ .uid | default 1000 }}
fsGroup: {{ .uid | default 1000 }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "offndat.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
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
