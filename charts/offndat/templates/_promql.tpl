{{/*
The PromQL that more than one consumer reads, written once. The recording rules
(monitoring/_rules-recording.tpl) turn the raw series into the signals; the dashboards, the alerts, KEDA's
prometheus trigger and the prometheus-adapter rules (autoscaling/prometheus-adapter-rules.yaml, copied to
k8s/prometheus-adapter/rules.yaml by k8s/prometheus-adapter/render.sh) read those signals, so a change here
changes every consumer. Every recorded series carries namespace and app_kubernetes_io_instance, so releases
stay apart.
*/}}

{{/*
Matchers for this release's series. The PodMonitors copy the pod label app.kubernetes.io/instance onto every
series (app_kubernetes_io_instance) and the RabbitMQ and CloudNativePG monitors set it, which keeps two
releases in one namespace apart; `service` is the label the processes themselves put on every series.
Usage: include "offndat.promql.matchers" (dict "ctx" $ "service" "api")
*/}}
{{- define "offndat.promql.matchers" -}}
namespace="{{ .ctx.Release.Namespace }}",app_kubernetes_io_instance="{{ .ctx.Release.Name }}",service="{{ .service }}"
{{- end }}

{{/* Matchers for any series of this release: both processes, the broker, PostgreSQL. */}}
{{- define "offndat.promql.releaseMatchers" -}}
namespace="{{ .Release.Namespace }}",app_kubernetes_io_instance="{{ .Release.Name }}"
{{- end }}

{{/* The labels every recorded series is aggregated by. */}}
{{- define "offndat.promql.by" -}}namespace, app_kubernetes_io_instance{{- end }}

{{/*
numerator / denominator, and 0 rather than NaN or nothing where the denominator is 0: a panel then reads
"0 errors" while nothing happens instead of "No data", and an alert comparing the ratio stays quiet.
Usage: include "offndat.promql.ratio" (list "<numerator>" "<denominator>")
*/}}
{{- define "offndat.promql.ratio" -}}
(({{ index . 0 }}) / (({{ index . 1 }}) > 0) or ({{ index . 1 }}) * 0)
{{- end }}

{{/*
A quantile of a prom-client histogram, 0 while the histogram counted nothing (histogram_quantile answers NaN
then, which autoscalers cannot compare and panels show as no data).
Usage: include "offndat.promql.quantile" (dict "q" "0.95" "metric" "request_duration_seconds" "matchers" "..." "by" "traffic" "window" "2m")
*/}}
{{- define "offndat.promql.quantile" -}}
{{- $by := trimSuffix ", " (printf "%s, %s" (include "offndat.promql.by" .) (.by | default "")) -}}
{{- $count := printf "sum by (%s) (rate(%s_count{%s}[%s]))" $by .metric .matchers .window -}}
histogram_quantile({{ .q }}, sum by ({{ $by }}, le) (rate({{ .metric }}_bucket{ {{- .matchers -}} }[{{ .window }}])))
  and {{ $count }} > 0
or {{ $count }} * 0
{{- end }}

{{/*
The api's scaling signal in both autoscaling modes: the p95 of redirects, the traffic api replicas exist to
serve (no probes, scrapes, 404s, 410s or 429s; creation is bound by PostgreSQL, which more replicas do not speed up).
Takes the matchers: concrete ones for KEDA, prometheus-adapter's "<<.LabelMatchers>>" for the adapter.
*/}}
{{- define "offndat.promql.scaling.apiLatency" -}}
max(offndat:request_duration_seconds:p95_rate2m{ {{- . -}} ,traffic="redirect"})
{{- end }}

{{/*
The worker's scaling signal with prometheus-adapter: ready messages in its queue as RabbitMQ reports them
(present with no worker running). KEDA reads the same count from the broker itself.
*/}}
{{- define "offndat.promql.scaling.queueDepth" -}}
max(offndat:queue_messages_ready{ {{- . -}} })
{{- end }}

{{/* Both autoscaling modes read recorded series: turning the rules off would silently stop latency scaling. */}}
{{- define "offndat.requireRecordingRules" -}}
{{- if not .Values.monitoring.prometheusRule.enabled }}
{{- fail (printf "autoscaling.mode=%s scales on series recorded by the chart's PrometheusRule: keep monitoring.prometheusRule.enabled" .Values.autoscaling.mode) }}
{{- end }}
{{- end }}
