{{/*
Alerts on the visit pipeline (api buffer → RabbitMQ → worker → PostgreSQL), the outbox and autoscaling. The
loss detector compares what the api accepted with what reached the database, whatever broke in between.
*/}}
{{- define "offndat.rules.visits" -}}
{{- $a := .Values.monitoring.prometheusRule.alerts }}
{{- $rel := include "offndat.promql.releaseMatchers" . }}
{{- $api := include "offndat.promql.matchers" (dict "ctx" . "service" "api") }}
{{- $worker := include "offndat.promql.matchers" (dict "ctx" . "service" "worker") }}
{{- $by := include "offndat.promql.by" . }}
{{- $queue := .Values.autoscaling.worker.queue }}
- name: offndat.visits
  rules:
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatVisitPublishFailing") }}
    - alert: OffndatVisitPublishFailing
      expr: |-
        sum by ({{ $by }}) (rate(offndat_visits_published_total{ {{- $api -}} ,outcome="failed"}[5m])) > 0
      for: 5m
      labels:
        severity: critical
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatVisitPublishFailing"
          "summary" "The api cannot hand visits to RabbitMQ."
          "description" `{{ printf "%.2f" $value }} visits per second fail to publish (broker unreachable, refusing or not confirming); they wait in the api's buffer.`) | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatVisitBufferFilling") }}
    - alert: OffndatVisitBufferFilling
      expr: |-
        offndat:visit_buffer:fill_ratio{ {{- $rel -}} } > {{ $a.OffndatVisitBufferFilling.fillRatio }}
      for: 1m
      labels:
        severity: critical
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatVisitBufferFilling"
          "summary" "An api pod's visit buffer is filling up; when full, new visits are dropped."
          "description" "{{ $labels.pod }} holds {{ $value | humanizePercentage }} of VISIT_BUFFER_MAX undelivered visits.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatVisitsNotStored") }}
    - alert: OffndatVisitsNotStored
      expr: |-
        {{ include "offndat.promql.ratio" (list (printf "offndat:visits_unstored:increase30m_offset1m{%s}" $rel) (printf "offndat:visits_accepted:increase30m_offset1m{%s}" $rel)) }}
          > {{ $a.OffndatVisitsNotStored.unstoredRatio }}
      for: 15m
      labels:
        severity: critical
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatVisitsNotStored"
          "summary" "Visits the api counted are not reaching the database."
          "description" "{{ $value | humanizePercentage }} of the visits accepted in the 30 minutes up to a minute ago have not been stored.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatVisitPersistLagHigh") }}
    - alert: OffndatVisitPersistLagHigh
      expr: |-
        offndat:visit_persist_lag_seconds:p95_rate5m{ {{- $rel -}} } > {{ $a.OffndatVisitPersistLagHigh.p95Seconds }}
      for: 10m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatVisitPersistLagHigh"
          "summary" (printf "Visits take more than %vs (p95) to reach the database." $a.OffndatVisitPersistLagHigh.p95Seconds)
          "description" "The p95 from redirect to committed visit row is {{ $value | humanizeDuration }}.") | nindent 8 }}
    {{- end }}
{{- end }}

{{- define "offndat.rules.worker" -}}
{{- $a := .Values.monitoring.prometheusRule.alerts }}
{{- $rel := include "offndat.promql.releaseMatchers" . }}
{{- $api := include "offndat.promql.matchers" (dict "ctx" . "service" "api") }}
{{- $worker := include "offndat.promql.matchers" (dict "ctx" . "service" "worker") }}
{{- $by := include "offndat.promql.by" . }}
{{- $queue := .Values.autoscaling.worker.queue }}
- name: offndat.worker
  rules:
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatNoWorkerRunning") }}
    - alert: OffndatNoWorkerRunning
      # Every branch aggregated to the same labels, so `or` keeps one series when several hold at once (a worker
      # crash-looping: up 0 and no consumer); two series differing only in labels the alert adds fail evaluation.
      expr: |-
        max by ({{ $by }}) (absent(up{ {{- $rel -}} ,app_kubernetes_io_component="worker"}))
          or max by ({{ $by }}) (up{ {{- $rel -}} ,app_kubernetes_io_component="worker"}) == 0
          or max by ({{ $by }}) (offndat:queue_consumers{ {{- $rel -}} ,queue={{ $queue | quote }}}) == 0
      for: 5m
      labels:
        severity: critical
        {{- include "offndat.alertReleaseLabels" $ | nindent 8 }}
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatNoWorkerRunning"
          "summary" "No worker is consuming visits."
          "description" (printf "No worker pod answers Prometheus, or %s has no consumer: visits wait in the queue and stats stop moving." $queue)) | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatQueueBacklog") }}
    - alert: OffndatQueueBacklog
      expr: |-
        offndat:queue_messages_ready{ {{- $rel -}} ,queue={{ $queue | quote }}} > {{ $a.OffndatQueueBacklog.readyMessages }}
      for: 15m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatQueueBacklog"
          "summary" (printf "The worker queue holds more than %v ready messages." $a.OffndatQueueBacklog.readyMessages)
          "description" "{{ $value }} messages are waiting in {{ $labels.queue }}; the workers are not keeping up.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatMessagesDeadLettered") }}
    - alert: OffndatMessagesDeadLettered
      expr: |-
        sum by ({{ $by }}, queue) (increase(offndat_messages_processed_total{ {{- $worker -}} ,outcome="dead_letter"}[15m])) > 0
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatMessagesDeadLettered"
          "summary" "Messages were dead-lettered after exhausting their retries."
          "description" "{{ $value | humanize }} messages from {{ $labels.queue }} went to its dead-letter queue in 15 minutes.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatConsumptionPaused") }}
    - alert: OffndatConsumptionPaused
      expr: |-
        sum by ({{ $by }}, queue) (offndat_consumers_paused{ {{- $worker -}} }) > 0
      for: 5m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatConsumptionPaused"
          "summary" "Workers are holding visit batches back because the database is unavailable."
          "description" "{{ $value }} consumer channels on {{ $labels.queue }} have waited for the database for 5 minutes; visits stay queued.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatOutboxLagging") }}
    - alert: OffndatOutboxLagging
      expr: |-
        max by ({{ $by }}) (offndat_outbox_lag_seconds{ {{- $rel -}} }) > {{ $a.OffndatOutboxLagging.lagSeconds }}
      for: 5m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatOutboxLagging"
          "summary" (printf "The oldest unpublished outbox row is older than %vs." $a.OffndatOutboxLagging.lagSeconds)
          "description" "The oldest LinkCreated event waiting in the outbox is {{ $value | humanizeDuration }} old.") | nindent 8 }}
    {{- end }}
{{- end }}

{{- define "offndat.rules.autoscaling" -}}
{{- $a := .Values.monitoring.prometheusRule.alerts }}
{{- $rel := include "offndat.promql.releaseMatchers" . }}
{{- $api := include "offndat.promql.matchers" (dict "ctx" . "service" "api") }}
{{- $worker := include "offndat.promql.matchers" (dict "ctx" . "service" "worker") }}
{{- $by := include "offndat.promql.by" . }}
{{- $queue := .Values.autoscaling.worker.queue }}
{{- if ne .Values.autoscaling.mode "none" }}
- name: offndat.autoscaling
  rules:
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatAutoscalingSignalAbsent") }}
    - alert: OffndatAutoscalingSignalAbsent
      expr: |-
        absent(offndat:request_duration_seconds:p95_rate2m{ {{- $rel -}} ,traffic="redirect"})
        {{- if eq .Values.autoscaling.mode "hpa" }}
          or absent(offndat:queue_messages_ready{ {{- $rel -}} ,queue={{ $queue | quote }}})
        {{- end }}
      for: 10m
      labels:
        severity: warning
        {{- include "offndat.alertReleaseLabels" $ | nindent 8 }}
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatAutoscalingSignalAbsent"
          "summary" "A series the autoscalers read is missing from Prometheus."
          "description" "The recorded redirect p95 (offndat:request_duration_seconds:p95_rate2m) or queue depth (offndat:queue_messages_ready) has had no value for 10 minutes: scaling on it has stopped.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatAutoscalerMetricsUnavailable") }}
    {{- $full := include "offndat.fullname" . }}
    {{- $prefix := ternary "keda-hpa-" "" (eq .Values.autoscaling.mode "keda") }}
    - alert: OffndatAutoscalerMetricsUnavailable
      expr: |-
        kube_horizontalpodautoscaler_status_condition{namespace={{ .Release.Namespace | quote }},horizontalpodautoscaler=~"{{ $prefix }}{{ $full }}-(api|worker)",condition="ScalingActive",status="false"} == 1
      for: 10m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatAutoscalerMetricsUnavailable"
          "summary" "An autoscaler of this release cannot read its metrics."
          "description" (printf "HPA {{ $labels.horizontalpodautoscaler }} reports ScalingActive=false: its metrics source (%s) does not answer, so it cannot scale." (ternary "KEDA's metrics server" "prometheus-adapter" (eq .Values.autoscaling.mode "keda")))) | nindent 8 }}
    {{- end }}
{{- end }}
{{- end }}
