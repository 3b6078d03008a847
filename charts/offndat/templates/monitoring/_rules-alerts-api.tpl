{{/*
Alerts on what users of the redirects and the API see: the objectives' error budgets (multi-window burn rates,
as in the SRE workbook: a fast burn pages within minutes, a slow one opens a ticket), the API's errors and
latency, and whether Prometheus reaches the pods at all.
*/}}
{{- define "offndat.rules.api" -}}
{{- $r := .Values.monitoring.prometheusRule }}
{{- $a := $r.alerts }}
{{- $rel := include "offndat.promql.releaseMatchers" . }}
{{- $slo := $r.slo }}
{{- $objectives := list
  (dict "name" "OffndatRedirectErrorBudgetBurn" "signal" "request_errors" "target" $slo.redirectAvailability
        "what" "of redirects were answered 5xx")
  (dict "name" "OffndatRedirectLatencyBudgetBurn" "signal" "request_slow" "target" $slo.redirectLatencyTarget
        "what" (printf "of redirects took longer than %vs" $slo.redirectLatencySeconds)) }}
{{- $burns := list
  (dict "severity" "critical" "for" "2m" "pairs" (list (list "1h" "5m" "14.4") (list "6h" "30m" "6")))
  (dict "severity" "warning" "for" "15m" "pairs" (list (list "1d" "2h" "3") (list "3d" "6h" "1"))) }}
- name: offndat.api
  rules:
    {{- range $objective := $objectives }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" $objective.name) }}
    {{- range $burn := $burns }}
    - alert: {{ $objective.name }}
      expr: |-
        {{- range $i, $pair := $burn.pairs }}
        {{- if $i }}
        or
        {{- end }}
        (
          offndat:{{ $objective.signal }}:ratio_rate{{ index $pair 0 }}{ {{- $rel -}} ,traffic="redirect"} > ({{ index $pair 2 }} * (1 - {{ $objective.target }}))
          and offndat:{{ $objective.signal }}:ratio_rate{{ index $pair 1 }}{ {{- $rel -}} ,traffic="redirect"} > ({{ index $pair 2 }} * (1 - {{ $objective.target }}))
        )
        {{- end }}
      for: {{ $burn.for }}
      labels:
        severity: {{ $burn.severity }}
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" $objective.name
          "summary" (printf "Redirects are spending their error budget too fast (objective %v)." $objective.target)
          "description" (printf "{{ $value | humanizePercentage }} %s over the last %s or %s; the objective allows %.3g%%." $objective.what (index (index $burn.pairs 0) 0) (index (index $burn.pairs 1) 0) (mulf (subf 1 $objective.target) 100))) | nindent 8 }}
    {{- end }}
    {{- end }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatApiHighErrorRate") }}
    - alert: OffndatApiHighErrorRate
      expr: |-
        offndat:request_errors:ratio_rate5m{ {{- $rel -}} ,traffic="api"} > {{ $a.OffndatApiHighErrorRate.errorRatio }}
      for: 10m
      labels:
        severity: critical
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatApiHighErrorRate"
          "summary" (printf "More than %v%% of API requests fail with 5xx." (mulf $a.OffndatApiHighErrorRate.errorRatio 100))
          "description" "{{ $value | humanizePercentage }} of API requests in {{ $labels.namespace }} answered 5xx over 5 minutes.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatApiHighLatency") }}
    - alert: OffndatApiHighLatency
      expr: |-
        offndat:request_duration_seconds:p95_rate2m{ {{- $rel -}} ,traffic="api"} > {{ $a.OffndatApiHighLatency.p95Seconds }}
      for: 10m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatApiHighLatency"
          "summary" (printf "API p95 latency is above %vs." $a.OffndatApiHighLatency.p95Seconds)
          "description" "The p95 of API requests (creation, stats, catalogue) is {{ $value | humanizeDuration }}.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatApiDown") }}
    - alert: OffndatApiDown
      expr: |-
        absent(up{ {{- $rel -}} ,app_kubernetes_io_component="api"} == 1)
      for: 5m
      labels:
        severity: critical
        {{- include "offndat.alertReleaseLabels" $ | nindent 8 }}
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatApiDown"
          "summary" "No api pod of this release answers Prometheus."
          "description" "No target of the api's PodMonitor has been up for 5 minutes: the api is down, or Prometheus no longer finds it.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatScrapeTargetDown") }}
    - alert: OffndatScrapeTargetDown
      expr: |-
        up{ {{- $rel -}} } == 0
      for: 5m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatScrapeTargetDown"
          "summary" "Prometheus cannot scrape a target of this release."
          "description" "{{ $labels.job }} at {{ $labels.instance }} ({{ $labels.pod }}) has not answered for 5 minutes.") | nindent 8 }}
    {{- end }}
{{- end }}
