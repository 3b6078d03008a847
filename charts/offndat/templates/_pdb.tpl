{{/* The fewest pods a component runs: its replicas, or the autoscaler's minimum. */}}
{{- define "offndat.minPods" -}}
{{- if eq .ctx.Values.autoscaling.mode "none" }}
{{- index .ctx.Values .component "replicas" }}
{{- else }}
{{- index .ctx.Values.autoscaling .component "minReplicas" }}
{{- end }}
{{- end }}

{{/* The most pods a component runs: its replicas, or the autoscaler's maximum. */}}
{{- define "offndat.maxPods" -}}
{{- if eq .ctx.Values.autoscaling.mode "none" }}
{{- index .ctx.Values .component "replicas" }}
{{- else }}
{{- index .ctx.Values.autoscaling .component "maxReplicas" }}
{{- end }}
{{- end }}

{{/*
A PodDisruptionBudget that never blocks a drain. maxUnavailable (the default) always lets one pod go, even from
a single replica; minAvailable must stay below the fewest pods the component runs, or no pod could ever be
evicted, and the chart refuses it. A percentage is Kubernetes' to round.
Usage: include "offndat.pdb" (dict "ctx" $ "component" "api" "pdb" .Values.api.pdb)
*/}}
{{- define "offndat.pdb" -}}
{{- if .pdb.enabled }}
{{- $min := include "offndat.minPods" . | int }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "offndat.fullname" .ctx }}-{{ .component }}
  labels:
    {{- include "offndat.labels" . | nindent 4 }}
  annotations:
    argocd.argoproj.io/sync-wave: "2"
spec:
  {{- if not (kindIs "invalid" .pdb.minAvailable) }}
  {{- if and (not (kindIs "string" .pdb.minAvailable)) (ge (int .pdb.minAvailable) $min) }}
  {{- fail (printf "%s.pdb.minAvailable=%d would block every node drain: %s runs as few as %d pod(s). Lower it, or use maxUnavailable." .component (int .pdb.minAvailable) .component $min) }}
  {{- end }}
  minAvailable: {{ .pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "offndat.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}
