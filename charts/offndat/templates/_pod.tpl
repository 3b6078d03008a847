{{/* Pod-level settings shared by every pod on the offndat image (api, worker, migrations, helm test). */}}
{{- define "offndat.podCommon" -}}
{{- include "offndat.podCommonAs" (dict "ctx" . "serviceAccount" (include "offndat.serviceAccountName" .) "token" false) }}
{{- end }}

{{/* Usage: include "offndat.podCommonAs" (dict "ctx" $ "serviceAccount" NAME "token" BOOL); only the ShortLink reconciler needs a token. */}}
{{- define "offndat.podCommonAs" -}}
serviceAccountName: {{ .serviceAccount }}
automountServiceAccountToken: {{ .token }}
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- include "offndat.podSecurityContext" .ctx.Values.podSecurityContext | nindent 2 }}
{{- end }}

{{/*
Where a component's pods run. Without topologySpreadConstraints of its own, a component spreads over zones
and nodes (ScheduleAnyway: a preference, never a reason to stay Pending); matchLabelKeys keeps a rollout's new
pods from counting the old ones.
Usage: include "offndat.scheduling" (dict "ctx" $ "component" "api" "v" .Values.api)
*/}}
{{- define "offndat.scheduling" -}}
{{- $v := .v }}
{{- with $v.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if $v.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml $v.topologySpreadConstraints | nindent 2 }}
{{- else if $v.defaultTopologySpread }}
topologySpreadConstraints:
  {{- range list "topology.kubernetes.io/zone" "kubernetes.io/hostname" }}
  - maxSkew: 1
    topologyKey: {{ . }}
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "offndat.selectorLabels" (dict "ctx" $.ctx "component" $.component) | nindent 8 }}
    matchLabelKeys: [pod-template-hash]
  {{- end }}
{{- end }}
{{- end }}

{{/* extraEnv: `NAME: value`, or `NAME: {valueFrom: {...}}` for Secrets and ConfigMaps. */}}
{{- define "offndat.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
{{- if kindIs "map" $value }}
  {{- toYaml $value | nindent 2 }}
{{- else }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Probes from values; a probe set to null is left out. Usage: include "offndat.probes" .Values.api */}}
{{- define "offndat.probes" -}}
{{- range $probe := list "startupProbe" "livenessProbe" "readinessProbe" }}
{{- with index $ $probe }}
{{ $probe }}:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
{{- end }}

{{- define "offndat.apiKeys.volumeMount" -}}
{{- if include "offndat.apiKeys.enabled" . }}
- name: api-keys
  mountPath: /var/run/secrets/offndat/api-keys
  readOnly: true
{{- end }}
{{- end }}

{{- define "offndat.apiKeys.volume" -}}
{{- if include "offndat.apiKeys.enabled" . }}
- name: api-keys
  secret:
    secretName: {{ include "offndat.apiKeys.secretName" . }}
    items:
      - {key: {{ .Values.apiKeys.key }}, path: api-keys}
{{- end }}
{{- end }}

{{- define "offndat.apiKeys.env" -}}
{{- if include "offndat.apiKeys.enabled" . }}
- name: API_KEYS_FILE
  value: /var/run/secrets/offndat/api-keys/api-keys
{{- end }}
{{- end }}
