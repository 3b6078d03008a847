{{/*
Settings the chart derives from the pods' sizes, so that a process never plans for more memory or time than its
pod has. Each refuses values that cannot fit, naming the one to change.
*/}}

{{/* Bytes of a Kubernetes quantity ("512Mi", "1G", "268435456"). */}}
{{- define "offndat.quantityBytes" -}}
{{- $q := toString . }}
{{- $number := regexFind "^[0-9.]+" $q }}
{{- $units := dict "" 1 "k" 1000 "K" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 }}
{{- $unit := index $units (trimPrefix $number $q) | default 0 }}
{{- if or (eq $number "") (eq (toString $unit) "0") }}
{{- fail (printf "cannot read %q as a memory quantity" $q) }}
{{- end }}
{{- mulf (float64 $number) $unit | int64 }}
{{- end }}

{{/* Bytes of a Redis memory setting ("200mb", "1g": Redis' k/m/g are powers of ten, kb/mb/gb of two). */}}
{{- define "offndat.redisBytes" -}}
{{- $q := lower (toString .) }}
{{- $number := regexFind "^[0-9]+" $q }}
{{- $units := dict "" 1 "b" 1 "k" 1000 "kb" 1024 "m" 1000000 "mb" 1048576 "g" 1000000000 "gb" 1073741824 }}
{{- mul (int64 $number) (index $units (trimPrefix $number $q)) }}
{{- end }}

{{- define "offndat.memoryLimitBytes" -}}
{{- $limit := ((.resources.limits | default dict).memory) }}
{{- if not $limit }}
{{- fail (printf "%s.resources.limits.memory is required: %s" .name .why) }}
{{- end }}
{{- include "offndat.quantityBytes" $limit }}
{{- end }}

{{/*
VISIT_BUFFER_MAX of the api. A buffered visit takes about 1.3 KB of heap with common headers and up to 4.3 KB
with the longest user agent and referrer the redirect keeps (measured on Node 20), so the chart counts 4 KiB:
by default the buffer may fill a quarter of the memory limit, and a value set by hand must fit in half of it.
*/}}
{{- define "offndat.api.visitBufferMax" -}}
{{- $limit := include "offndat.memoryLimitBytes" (dict "resources" .Values.api.resources "name" "api" "why" "the visit buffer is sized from it") | int64 }}
{{- $perVisit := 4096 }}
{{- if kindIs "invalid" .Values.api.visitBufferMax }}
{{- max 1000 (div $limit (mul 4 $perVisit)) }}
{{- else }}
{{- $wanted := .Values.api.visitBufferMax | int64 }}
{{- if gt (mul $wanted $perVisit) (div $limit 2) }}
{{- fail (printf "api.visitBufferMax=%d visits can take %d MiB, more than half of api.resources.limits.memory (%s). Raise the limit or lower the buffer (null sizes it from the limit)." $wanted (div (mul $wanted $perVisit) 1048576) (toString .Values.api.resources.limits.memory)) }}
{{- end }}
{{- $wanted }}
{{- end }}
{{- end }}

{{/*
Redis' maxmemory in bytes. Redis needs room beyond its data (allocator fragmentation, client buffers): by
default three quarters of the memory limit, and at most 80 % of it when set by hand.
*/}}
{{- define "offndat.redis.maxmemoryBytes" -}}
{{- $v := .Values.redis.internal }}
{{- $limit := include "offndat.memoryLimitBytes" (dict "resources" $v.resources "name" "redis.internal" "why" "maxmemory is sized from it") | int64 }}
{{- if $v.maxmemory }}
{{- $wanted := include "offndat.redisBytes" $v.maxmemory | int64 }}
{{- if gt (mul $wanted 5) (mul $limit 4) }}
{{- fail (printf "redis.internal.maxmemory=%s leaves Redis too little room under its memory limit (%s): keep it within 80 %% of the limit, or leave it empty to size it from the limit." $v.maxmemory (toString $v.resources.limits.memory)) }}
{{- end }}
{{- $wanted }}
{{- else }}
{{- div (mul $limit 3) 4 }}
{{- end }}
{{- end }}

{{/*
The api's SIGTERM budget: preStop keeps the pod serving while it leaves the endpoints, then the server drains
(SHUTDOWN_TIMEOUT_MS), then buffered visits are flushed (up to 20 s, BATCHING_DEFAULTS.closeTimeoutMs in
core/visits/batching-visit-sink.ts), with 5 s to close connections. The drain gets what the grace period leaves.
*/}}
{{- define "offndat.api.visitFlushSeconds" -}}20{{- end }}
{{- define "offndat.api.shutdownTimeoutMs" -}}
{{- $v := .Values.api }}
{{- $drain := sub (sub (sub (int $v.terminationGracePeriodSeconds) (int $v.preStopSleepSeconds)) (include "offndat.api.visitFlushSeconds" . | int)) 5 }}
{{- if lt $drain 5 }}
{{- fail (printf "api.terminationGracePeriodSeconds=%d cannot hold preStop (%d s), a drain of at least 5 s, the visit flush (%s s) and 5 s to close: raise it to %d or more." (int $v.terminationGracePeriodSeconds) (int $v.preStopSleepSeconds) (include "offndat.api.visitFlushSeconds" .) (add (int $v.preStopSleepSeconds) 5 (include "offndat.api.visitFlushSeconds" . | int) 5)) }}
{{- end }}
{{- mul $drain 1000 }}
{{- end }}

{{/* The worker finishes its batch in hand within the grace period, 5 s before the kubelet's SIGKILL. */}}
{{- define "offndat.worker.shutdownTimeoutMs" -}}
{{- $grace := int .Values.worker.terminationGracePeriodSeconds }}
{{- if lt $grace 10 }}
{{- fail (printf "worker.terminationGracePeriodSeconds=%d leaves no time to finish a batch: use 10 or more." $grace) }}
{{- end }}
{{- mul (sub $grace 5) 1000 }}
{{- end }}
