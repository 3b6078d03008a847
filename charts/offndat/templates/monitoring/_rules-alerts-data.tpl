{{/*
Alerts on the data services this release runs through their operators, from their own exporters:
CloudNativePG's instance metrics (cnpg_*) and RabbitMQ's prometheus plugin (rabbitmq_*). Each group renders
only when the chart creates the service and its monitor, which give the series this release's labels.
*/}}
{{- define "offndat.rules.postgresql" -}}
{{- $a := .Values.monitoring.prometheusRule.alerts }}
{{- $rel := include "offndat.promql.releaseMatchers" . }}
{{- $by := include "offndat.promql.by" . }}
{{- if and (eq .Values.postgresql.mode "operator") .Values.postgresql.operator.podMonitor }}
- name: offndat.postgresql
  rules:
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatPostgresDown") }}
    - alert: OffndatPostgresDown
      expr: |-
        cnpg_collector_up{ {{- $rel -}} } == 0
      for: 5m
      labels:
        severity: critical
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatPostgresDown"
          "summary" "A PostgreSQL instance does not answer its exporter."
          "description" "CloudNativePG's exporter on {{ $labels.pod }} cannot reach PostgreSQL.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatPostgresMetricsAbsent") }}
    - alert: OffndatPostgresMetricsAbsent
      expr: |-
        absent(cnpg_collector_up{ {{- $rel -}} })
      for: 15m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatPostgresMetricsAbsent"
          "summary" "Prometheus has no PostgreSQL metrics for this release."
          "description" "No CloudNativePG instance of this release has been scraped for 15 minutes; the PostgreSQL alerts cannot fire.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatPostgresReplicationLag") }}
    - alert: OffndatPostgresReplicationLag
      expr: |-
        max by ({{ $by }}, pod) (cnpg_pg_replication_lag{ {{- $rel -}} }) > {{ $a.OffndatPostgresReplicationLag.lagSeconds }}
      for: 5m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatPostgresReplicationLag"
          "summary" (printf "A PostgreSQL standby lags the primary by more than %vs." $a.OffndatPostgresReplicationLag.lagSeconds)
          "description" "{{ $labels.pod }} replays {{ $value | humanizeDuration }} behind the primary; reads served from it are that old.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatPostgresWalArchivingFailing") }}
    - alert: OffndatPostgresWalArchivingFailing
      expr: |-
        cnpg_pg_stat_archiver_last_failed_time{ {{- $rel -}} } > cnpg_pg_stat_archiver_last_archived_time{ {{- $rel -}} }
      for: 5m
      labels:
        severity: critical
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatPostgresWalArchivingFailing"
          "summary" "PostgreSQL cannot archive WAL."
          "description" "The last WAL archiving attempt on {{ $labels.pod }} failed and none has succeeded since; WAL piles up on its volume and point-in-time recovery has a gap.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatPostgresConnectionsNearLimit") }}
    - alert: OffndatPostgresConnectionsNearLimit
      expr: |-
        sum by ({{ $by }}, pod) (cnpg_backends_total{ {{- $rel -}} })
          / max by ({{ $by }}, pod) (cnpg_pg_settings_setting{ {{- $rel -}} ,name="max_connections"})
          > {{ $a.OffndatPostgresConnectionsNearLimit.usedRatio }}
      for: 5m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatPostgresConnectionsNearLimit"
          "summary" "A PostgreSQL instance is close to max_connections."
          "description" "{{ $labels.pod }} uses {{ $value | humanizePercentage }} of max_connections; new connections will be refused at 100%.") | nindent 8 }}
    {{- end }}
{{- end }}
{{- end }}

{{- define "offndat.rules.rabbitmq" -}}
{{- $a := .Values.monitoring.prometheusRule.alerts }}
{{- $rel := include "offndat.promql.releaseMatchers" . }}
{{- $by := include "offndat.promql.by" . }}
{{- if and (eq .Values.rabbitmq.mode "operator") .Values.rabbitmq.operator.serviceMonitor }}
{{- $vhost := printf "vhost=%q" .Values.autoscaling.worker.vhost }}
- name: offndat.rabbitmq
  rules:
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatRabbitmqMetricsAbsent") }}
    - alert: OffndatRabbitmqMetricsAbsent
      expr: |-
        absent(rabbitmq_detailed_queue_messages_ready{ {{- $rel -}} ,{{ $vhost }},queue={{ .Values.autoscaling.worker.queue | quote }}})
      for: 15m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatRabbitmqMetricsAbsent"
          "summary" "Prometheus has no queue metrics from this release's RabbitMQ."
          "description" "RabbitMQ's per-queue metrics for {{ $labels.queue }} have been missing for 15 minutes: the backlog alert and queue-depth scaling are blind.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatRabbitmqResourceAlarm") }}
    - alert: OffndatRabbitmqResourceAlarm
      expr: |-
        max by ({{ $by }}, pod, alarm) (
          label_replace(rabbitmq_alarms_memory_used_watermark{ {{- $rel -}} }, "alarm", "memory", "", "")
          or label_replace(rabbitmq_alarms_free_disk_space_watermark{ {{- $rel -}} }, "alarm", "disk", "", "")
          or label_replace(rabbitmq_alarms_file_descriptor_limit{ {{- $rel -}} }, "alarm", "file_descriptors", "", "")
        ) > 0
      for: 2m
      labels:
        severity: critical
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatRabbitmqResourceAlarm"
          "summary" "A RabbitMQ node raised a resource alarm and blocks every publisher."
          "description" "{{ $labels.pod }} is in its {{ $labels.alarm }} alarm: the api cannot publish visits until it clears.") | nindent 8 }}
    {{- end }}
    {{- if include "offndat.alertOn" (dict "ctx" $ "name" "OffndatRabbitmqUnackedGrowing") }}
    - alert: OffndatRabbitmqUnackedGrowing
      expr: |-
        offndat:queue_messages_unacked{ {{- $rel -}} } > {{ $a.OffndatRabbitmqUnackedGrowing.unackedMessages }}
          and delta(offndat:queue_messages_unacked{ {{- $rel -}} }[15m]) > 0
      for: 15m
      labels:
        severity: warning
      annotations:
        {{- include "offndat.alertAnnotations" (dict "ctx" $ "name" "OffndatRabbitmqUnackedGrowing"
          "summary" "Messages delivered to consumers are not being acknowledged."
          "description" "{{ $labels.queue }} holds {{ $value }} unacknowledged messages and the number keeps growing: a consumer is stuck.") | nindent 8 }}
    {{- end }}
{{- end }}
{{- end }}
