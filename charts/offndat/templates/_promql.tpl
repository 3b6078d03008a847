{{/*
The PromQL behind every scaling signal, written once. KEDA's prometheus trigger, the PrometheusRule alerts
and the prometheus-adapter rules (rendered by autoscaling/prometheus-adapter-rules.yaml and copied to
k8s/prometheus-adapter/rules.yaml by k8s/prometheus-adapter/render.sh) all include these, so a change here
changes every consumer. Each takes a label-matcher string: concrete matchers for KEDA and alerts,
prometheus-adapter's "<<.LabelMatchers>>" placeholder for the adapter.
*/}}

{{/* Service-wide p95 request latency in seconds (request_duration_seconds is a prom-client histogram). */}}
{{- define "offndat.promql.apiLatencyP95" -}}
histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket{ {{- . -}} }[2m])))
{{- end }}

{{/* Ready messages in the worker's queue. Every worker replica reports the same broker-side count: max, not sum. */}}
{{- define "offndat.promql.queueDepth" -}}
max(offndat_rabbitmq_queue_depth{ {{- . -}} })
{{- end }}

{{/*
Matchers for this release's series. The PodMonitors copy the pod label app.kubernetes.io/instance onto every
series (app_kubernetes_io_instance), which keeps two releases in one namespace apart; `service` is the label
the processes themselves put on every series.
Usage: include "offndat.promql.matchers" (dict "ctx" $ "service" "api")
*/}}
{{- define "offndat.promql.matchers" -}}
namespace="{{ .ctx.Release.Namespace }}",app_kubernetes_io_instance="{{ .ctx.Release.Name }}",service="{{ .service }}"
{{- end }}

{{/* Matchers for series of either process of this release. */}}
{{- define "offndat.promql.releaseMatchers" -}}
namespace="{{ .Release.Namespace }}",app_kubernetes_io_instance="{{ .Release.Name }}"
{{- end }}
