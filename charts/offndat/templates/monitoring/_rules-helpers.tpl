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
An alert's annotations: what happened (summary), the numbers (description, a Prometheus template) and its
runbook, docs/runbooks/<name>.md: a link under monitoring.prometheusRule.runbookBaseUrl where the runbooks are
published, otherwise where it is in the chart package (runbooks/ beside the templates), never a guessed address.
Usage: include "offndat.alertAnnotations" (dict "ctx" $ "name" "..." "summary" "..." "description" `...`)
*/}}
{{- define "offndat.alertAnnotations" -}}
summary: {{ .summary | quote }}
description: {{ .description | quote }}
{{- with .ctx.Values.monitoring.prometheusRule.runbookBaseUrl }}
runbook_url: {{ printf "%s/%s.md" (trimSuffix "/" .) $.name | quote }}
{{- else }}
runbook: {{ printf "runbooks/%s.md in the %s chart %s" .name .ctx.Chart.Name .ctx.Chart.Version | quote }}
{{- end }}
{{- end }}

{{/* Labels of an alert whose expression has none of its own (absent(), a comparison of one value). */}}
{{- define "offndat.alertReleaseLabels" -}}
namespace: {{ .Release.Namespace | quote }}
app_kubernetes_io_instance: {{ .Release.Name | quote }}
{{- end }}
