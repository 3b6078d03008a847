{{/*
What the Redis container runs: redis-server reading its configuration from stdin. The password is read from the
mounted Secret file and escaped for a double-quoted config string; maxmemory is sized from the memory limit
(_sizing.tpl).
*/}}
{{- define "offndat.redis.startScript" -}}
set -eu
password=$(sed 's/[\\"]/\\&/g' "$REDIS_PASSWORD_FILE")
exec redis-server - <<CONFIG
requirepass "$password"
save ""
appendonly no
maxmemory {{ include "offndat.redis.maxmemoryBytes" . }}
maxmemory-policy {{ .Values.redis.internal.maxmemoryPolicy }}
CONFIG
{{- end }}
