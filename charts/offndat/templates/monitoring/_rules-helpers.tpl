{{/*
"true" when the alert is switched on in monitoring.prometheusRule.alerts; an alert without a switch there is
a chart bug, so it fails the render rather than shipping an alert nobody can turn off.
Usage: if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatApiDown")
*/}}
{{- define "offndat.alertOn" -}}
{{- $alert := index .ctx.Values.monitoring.prometheusRule.alerts .name }}
{{- if not $alert }}
{{- fail (printf "monitoring.prometheusRule.alerts.%s is missing: every alert has a switch" .name) }}
{{- end }}
{{- if $alert.enabled }}true{{ end }}
{{- end }}

{{/*
An alert's annotations: what happened (summary), the numbers (description, a Prometheus template) and the
runbook, docs/runbooks/<name>.md under monitoring.prometheusRule.runbookBaseUrl.
Usage: include "offndat.alertAnnotations" (dict "ctx" $ "name" "..." "summary" "..." "description" `...`)
*/}}
{{- define "offndat.alertAnnotations" -}}
summary: {{ .summary | quote }}
description: {{ .description | quote }}
runbook_url: {{ printf "%s/%s.md" (trimSuffix "/" .ctx.Values.monitoring.prometheusRule.runbookBaseUrl) .name | quote }}
{{- end }}

{{/* Labels of an alert whose expression has none of its own (absent(), a comparison of one value). */}}
{{- define "offndat.alertReleaseLabels" -}}
namespace: {{ .Release.Namespace | quote }}
app_kubernetes_io_instance: {{ .Release.Name | quote }}
{{- end }}
