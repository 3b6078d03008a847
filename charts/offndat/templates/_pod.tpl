{{/* Pod-level settings shared by every offndat pod (api, worker, migrations, helm test). */}}
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
  {{- include "offndat.podSecurityContext" (dict) | nindent 2 }}
{{- end }}

{{/* Usage: include "offndat.scheduling" .Values.api */}}
{{- define "offndat.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- define "offndat.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
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

{{/* Usage: include "offndat.pdb" (dict "ctx" $ "component" "api" "pdb" .Values.api.pdb) */}}
{{- define "offndat.pdb" -}}
{{- if .pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "offndat.fullname" .ctx }}-{{ .component }}
  labels:
    {{- include "offndat.labels" . | nindent 4 }}
spec:
  {{- if hasKey .pdb "minAvailable" }}
  minAvailable: {{ .pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .pdb.maxUnavailable | default 1 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "offndat.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}
