{{/*
Recording rules: every signal read in more than one place (dashboards, alerts, KEDA, prometheus-adapter), each
aggregated to this release (namespace, app_kubernetes_io_instance). Request signals count traffic="redirect"
and traffic="api" only (core/metrics/metrics.ts: no probes, scrapes, docs, 404s, 410s or 429s). The objectives'
long windows average the 5-minute rates, which costs one series per window instead of re-reading raw
counters over days.
*/}}
{{- define "offndat.rules.recording" -}}
{{- $api := include "offndat.promql.matchers" (dict "ctx" . "service" "api") }}
{{- $rel := include "offndat.promql.releaseMatchers" . }}
{{- $by := include "offndat.promql.by" . }}
{{- $slo := .Values.monitoring.prometheusRule.slo }}
{{- $vhost := printf "vhost=%q" .Values.autoscaling.worker.vhost }}
- name: offndat.recording
  rules:
    - record: offndat:requests:rate5m
      expr: |-
        sum by ({{ $by }}, traffic) (rate(requests_total{ {{- $api -}} ,traffic=~"redirect|api"}[5m]))
    - record: offndat:request_errors:rate5m
      expr: |-
        sum by ({{ $by }}, traffic) (rate(requests_total{ {{- $api -}} ,traffic=~"redirect|api",status_code=~"5.."}[5m]))
    - record: offndat:request_errors:ratio_rate5m
      expr: |-
        {{ include "offndat.promql.ratio" (list (printf "offndat:request_errors:rate5m{%s}" $rel) (printf "offndat:requests:rate5m{%s}" $rel)) }}
    # Redirects slower than the latency objective's threshold (request_duration_seconds bucket boundary).
    - record: offndat:request_slow:rate5m
      expr: |-
        sum by ({{ $by }}, traffic) (rate(request_duration_seconds_count{ {{- $api -}} ,traffic="redirect"}[5m]))
          - sum by ({{ $by }}, traffic) (rate(request_duration_seconds_bucket{ {{- $api -}} ,traffic="redirect",le="{{ $slo.redirectLatencySeconds }}"}[5m]))
    - record: offndat:request_slow:ratio_rate5m
      expr: |-
        {{ include "offndat.promql.ratio" (list (printf "offndat:request_slow:rate5m{%s}" $rel) (printf "offndat:requests:rate5m{%s,traffic=\"redirect\"}" $rel)) }}
    {{- range $window := list "30m" "1h" "2h" "6h" "1d" "3d" }}
    {{- range $signal := list "request_errors" "request_slow" }}
    - record: offndat:{{ $signal }}:ratio_rate{{ $window }}
      expr: |-
        {{ include "offndat.promql.ratio" (list (printf "sum_over_time(offndat:%s:rate5m{%s,traffic=\"redirect\"}[%s])" $signal $rel $window) (printf "sum_over_time(offndat:requests:rate5m{%s,traffic=\"redirect\"}[%s])" $rel $window)) }}
    {{- end }}
    {{- end }}
    # What both autoscaling modes scale the api on, and the latency alert and dashboards read.
    - record: offndat:request_duration_seconds:p95_rate2m
      expr: |-
        {{- include "offndat.promql.quantile" (dict "q" "0.95" "metric" "request_duration_seconds" "matchers" (printf "%s,traffic=~\"redirect|api\"" $api) "by" "traffic" "window" "2m") | nindent 8 }}
    # The loss detector's inputs: visits the api accepted (counted redirects) and visit rows written.
    - record: offndat:visits_accepted:rate5m
      expr: |-
        sum by ({{ $by }}) (rate(offndat_link_visits_total{ {{- $api -}} }[5m]))
    - record: offndat:visits_stored:rate5m
      expr: |-
        sum by ({{ $by }}) (rate(offndat_visits_stored_total{ {{- $rel -}} }[5m]))
    # The loss detector's signal: visits accepted in the 30 minutes up to a minute ago against visits stored in
    # the last 30 minutes, so each visit has a minute to be stored (normally it takes well under a second), and
    # neither scrape timing nor a burst counts as a loss. About 0 while visits flow, the backlog while they are
    # held up, what is missing once they are lost.
    - record: offndat:visits_accepted:increase30m_offset1m
      expr: |-
        sum by ({{ $by }}) (increase(offndat_link_visits_total{ {{- $api -}} }[30m] offset 1m))
    # Never below 0: visits accepted in the last minute and already stored are not "more than stored".
    - record: offndat:visits_unstored:increase30m_offset1m
      expr: |-
        clamp_min(
          offndat:visits_accepted:increase30m_offset1m{ {{- $rel -}} }
            - (sum by ({{ $by }}) (increase(offndat_visits_stored_total{ {{- $rel -}} }[30m])) or offndat:visits_accepted:increase30m_offset1m{ {{- $rel -}} } * 0),
          0
        )
    - record: offndat:visit_persist_lag_seconds:p95_rate5m
      expr: |-
        {{- include "offndat.promql.quantile" (dict "q" "0.95" "metric" "offndat_visit_persist_lag_seconds" "matchers" $rel "window" "5m") | nindent 8 }}
    - record: offndat:visit_buffer:fill_ratio
      expr: |-
        max by ({{ $by }}, pod) (offndat_visit_buffer_size{ {{- $api -}} } / (offndat_visit_buffer_capacity{ {{- $api -}} } > 0))
    # Queue depth as RabbitMQ itself reports it (present whether or not a worker runs); the worker's own
    # check stands in for a broker this release does not monitor (rabbitmq.mode=external).
    - record: offndat:queue_messages_ready
      expr: |-
        max by ({{ $by }}, queue) (rabbitmq_detailed_queue_messages_ready{ {{- $rel -}} ,{{ $vhost }}})
          or max by ({{ $by }}, queue) (offndat_rabbitmq_queue_depth{ {{- include "offndat.promql.matchers" (dict "ctx" . "service" "worker") -}} })
    - record: offndat:queue_messages_unacked
      expr: |-
        max by ({{ $by }}, queue) (rabbitmq_detailed_queue_messages_unacked{ {{- $rel -}} ,{{ $vhost }}})
    - record: offndat:queue_consumers
      expr: |-
        max by ({{ $by }}, queue) (rabbitmq_detailed_queue_consumers{ {{- $rel -}} ,{{ $vhost }}})
{{- end }}
