{{/*
Pod annotations that roll a Deployment when what its pods read changes: the shared ConfigMap, API keys given in
values, and the user-managed Secrets the pods reference. Those Secrets are read with `lookup` at install and
upgrade time, so rotating one and running `helm upgrade` restarts the pods that use it. Offline renders
(helm template, Argo CD) see no Secret and hash nothing, so the annotation never changes from one render to the
next. Secrets the operators or the secrets Job generate are left out: they never rotate under the release.
Usage: include "offndat.checksums" (dict "ctx" $ "v" .Values.api "redis" true "apiKeys" true "admin" true)
*/}}
{{- define "offndat.checksums" -}}
{{- $ctx := .ctx }}
checksum/config: {{ include "offndat.config.data" $ctx | sha256sum }}
{{- if and .apiKeys $ctx.Values.apiKeys.values }}
checksum/api-keys: {{ join "," $ctx.Values.apiKeys.values | sha256sum }}
{{- end }}
{{- if $ctx.Values.secretChecksums }}
{{- $hashes := list }}
{{- range $name := include "offndat.userSecrets" . | fromJsonArray }}
{{- $secret := lookup "v1" "Secret" $ctx.Release.Namespace $name }}
{{- if $secret }}
{{- $hashes = append $hashes (printf "%s=%s" $name (toJson ($secret.data | default dict) | sha256sum)) }}
{{- end }}
{{- end }}
{{- if $hashes }}
checksum/secrets: {{ join "," $hashes | sha256sum }}
{{- end }}
{{- end }}
{{- end }}

{{/* Names of the user-managed Secrets a component's pods read, sorted, as a JSON list. */}}
{{- define "offndat.userSecrets" -}}
{{- $ctx := .ctx }}
{{- $names := list }}
{{- if and .apiKeys $ctx.Values.apiKeys.existingSecret }}
{{- $names = append $names $ctx.Values.apiKeys.existingSecret }}
{{- end }}
{{- if and .admin $ctx.Values.admin.existingSecret }}
{{- $names = append $names $ctx.Values.admin.existingSecret }}
{{- end }}
{{- if eq $ctx.Values.postgresql.mode "external" }}
{{- $names = append $names $ctx.Values.postgresql.external.existingSecret }}
{{- end }}
{{- if eq $ctx.Values.rabbitmq.mode "external" }}
{{- $names = append $names $ctx.Values.rabbitmq.external.existingSecret }}
{{- end }}
{{- if .redis }}
{{- if eq $ctx.Values.redis.mode "external" }}
{{- $names = append $names $ctx.Values.redis.external.existingSecret }}
{{- else if $ctx.Values.redis.internal.auth.existingSecret }}
{{- $names = append $names $ctx.Values.redis.internal.auth.existingSecret }}
{{- end }}
{{- end }}
{{- range $value := .v.extraEnv }}
{{- if kindIs "map" $value }}
{{- with (($value.valueFrom | default dict).secretKeyRef) }}
{{- $names = append $names .name }}
{{- end }}
{{- end }}
{{- end }}
{{- range .v.extraEnvFrom }}
{{- with .secretRef }}
{{- $names = append $names .name }}
{{- end }}
{{- end }}
{{- range .v.extraVolumes }}
{{- with .secret }}
{{- $names = append $names .secretName }}
{{- end }}
{{- range ((.projected | default dict).sources | default list) }}
{{- with .secret }}
{{- $names = append $names .name }}
{{- end }}
{{- end }}
{{- end }}
{{- toJson ($names | compact | uniq | sortAlpha) }}
{{- end }}
