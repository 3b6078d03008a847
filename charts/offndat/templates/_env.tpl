{{/*
Connection settings, wired from the operators' Secrets or from existing Secrets for external services.
Kubernetes expands $(VAR) in `value` only for variables defined earlier in the same list, so the
credentials come first and the URLs that interpolate them after.
*/}}

{{/*
Usage: include "offndat.env.database" (dict "ctx" $ "pooler" true "read" true)
pooler: go through PgBouncer when it is enabled (never for migrations: they hold a session advisory lock).
read: also set DATABASE_READ_URL (only the api reads).
*/}}
{{- define "offndat.env.database" -}}
{{- $v := .ctx.Values.postgresql }}
{{- if eq $v.mode "operator" }}
{{- $secret := printf "%s-app" (include "offndat.pg.cluster" .ctx) }}
{{- $replicas := gt (int $v.operator.instances) 1 }}
- name: PGUSER
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: username}
- name: PGPASSWORD
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: password}
- name: PGDATABASE
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: dbname}
{{- if and $v.operator.pooler.enabled .pooler }}
{{- $pooler := include "offndat.pg.pooler" .ctx }}
- name: DATABASE_URL
  value: "postgresql://$(PGUSER):$(PGPASSWORD)@{{ $pooler }}-rw:5432/$(PGDATABASE)"
{{- if and .read $replicas }}
- name: DATABASE_READ_URL
  value: "postgresql://$(PGUSER):$(PGPASSWORD)@{{ $pooler }}-ro:5432/$(PGDATABASE)"
{{- end }}
{{- else }}
{{- /* The operator's own URI points at <cluster>-rw, the primary. */}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: uri}
{{- /* No read-only URI in the Secret: same role, replica-only Service. Without replicas reads use the primary. */}}
{{- if and .read $replicas }}
- name: DATABASE_READ_URL
  value: "postgresql://$(PGUSER):$(PGPASSWORD)@{{ include "offndat.pg.cluster" .ctx }}-ro:5432/$(PGDATABASE)"
{{- end }}
{{- end }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef: {name: {{ required "postgresql.external.existingSecret is required when postgresql.mode=external" $v.external.existingSecret }}, key: {{ $v.external.urlKey }}}
{{- if and .read $v.external.readUrlKey }}
- name: DATABASE_READ_URL
  valueFrom:
    secretKeyRef: {name: {{ $v.external.existingSecret }}, key: {{ $v.external.readUrlKey }}}
{{- end }}
{{- end }}
{{- end }}

{{- define "offndat.env.amqp" -}}
{{- $v := .Values.rabbitmq }}
- name: AMQP_URL
  valueFrom:
    secretKeyRef:
{{- if eq $v.mode "operator" }}
      name: {{ include "offndat.mq.cluster" . }}-default-user
      key: connection_string
{{- else }}
      name: {{ required "rabbitmq.external.existingSecret is required when rabbitmq.mode=external" $v.external.existingSecret }}
      key: {{ $v.external.urlKey }}
{{- end }}
{{- end }}

{{- define "offndat.env.redis" -}}
{{- $v := .Values.redis }}
{{- if eq $v.mode "internal" }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ include "offndat.redis.secretName" . }}, key: {{ $v.internal.auth.key }}}
- name: REDIS_URL
  value: "redis://:$(REDIS_PASSWORD)@{{ include "offndat.redis.name" . }}:6379/0"
{{- else }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef: {name: {{ required "redis.external.existingSecret is required when redis.mode=external" $v.external.existingSecret }}, key: {{ $v.external.urlKey }}}
{{- end }}
{{- end }}

{{/* Settings both processes read; a change rolls both through the checksum/config annotation. */}}
{{- define "offndat.config.data" -}}
BASE_URL: {{ .Values.config.baseUrl | quote }}
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
CORS_ORIGINS: {{ join "," .Values.config.corsOrigins | quote }}
{{- with .Values.config.vocabularySource }}
VOCABULARY_SOURCE: {{ . | quote }}
{{- end }}
{{- range $name, $value := .Values.config.extraEnv }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}
