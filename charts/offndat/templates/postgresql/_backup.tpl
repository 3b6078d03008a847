{{/*
Backups and recovery of the CloudNativePG Cluster (docs/kubernetes.md, "Backups and restore"). Object stores use
CloudNativePG's own barman-cloud integration, which needs nothing but the PostgreSQL image (it carries
barman-cloud) and works the same on air-gapped clusters; the Barman Cloud plugin that CloudNativePG now
recommends needs its own operator and can be configured through postgresql.operator.extraSpec.
*/}}

{{/* spec.backup: where WAL and base backups go. */}}
{{- define "offndat.pg.backup" -}}
{{- $b := .Values.postgresql.operator.backup }}
{{- if $b.enabled }}
target: {{ $b.target }}
{{- if eq $b.method "barmanObjectStore" }}
{{- if not $b.barmanObjectStore.destinationPath }}
{{- fail "postgresql.operator.backup.barmanObjectStore.destinationPath is required for method barmanObjectStore (e.g. s3://bucket/offndat), with its credentials (s3Credentials, azureCredentials or googleCredentials)" }}
{{- end }}
retentionPolicy: {{ $b.retentionPolicy | quote }}
barmanObjectStore:
  {{- toYaml $b.barmanObjectStore | nindent 2 }}
{{- else }}
{{- if not $b.volumeSnapshot.className }}
{{- fail "postgresql.operator.backup.volumeSnapshot.className is required for method volumeSnapshot (a VolumeSnapshotClass of the storage)" }}
{{- end }}
volumeSnapshot:
  {{- toYaml $b.volumeSnapshot | nindent 2 }}
{{- end }}
{{- end }}
{{- end }}

{{/* spec.bootstrap: an empty database, or a recovery from a backup. */}}
{{- define "offndat.pg.bootstrap" -}}
{{- $v := .Values.postgresql.operator }}
{{- $r := $v.recovery }}
{{- if not $r.enabled }}
initdb:
  database: {{ $v.database }}
  owner: {{ $v.owner }}
  dataChecksums: true
{{- else }}
recovery:
  {{- if eq $r.source "backup" }}
  backup:
    name: {{ required "postgresql.operator.recovery.backupName is required for source backup" $r.backupName }}
  {{- else }}
  source: origin
  {{- end }}
  database: {{ $v.database }}
  owner: {{ $v.owner }}
  {{- with $r.targetTime }}
  recoveryTarget:
    targetTime: {{ . | quote }}
  {{- end }}
{{- end }}
{{- end }}

{{/* spec.externalClusters: the object store a recovery reads, under the old Cluster's name. */}}
{{- define "offndat.pg.externalClusters" -}}
{{- $v := .Values.postgresql.operator }}
{{- $r := $v.recovery }}
{{- if and $r.enabled (eq $r.source "barmanObjectStore") }}
{{- $store := $r.barmanObjectStore | default $v.backup.barmanObjectStore }}
{{- if not $store.destinationPath }}
{{- fail "postgresql.operator.recovery needs an object store: recovery.barmanObjectStore or backup.barmanObjectStore, with destinationPath" }}
{{- end }}
{{- $b := $v.backup }}
{{- if and $b.enabled (eq $b.method "barmanObjectStore") (eq $b.barmanObjectStore.destinationPath $store.destinationPath) (eq ($b.barmanObjectStore.serverName | default (include "offndat.pg.cluster" .)) $r.serverName) }}
{{- fail (printf "the restored Cluster would archive into the backups it restores from (%s, server %s), which CloudNativePG refuses: set postgresql.operator.backup.barmanObjectStore.serverName (or destinationPath) to a new one" $store.destinationPath $r.serverName) }}
{{- end }}
- name: origin
  barmanObjectStore:
    {{- toYaml (merge (dict "serverName" (required "postgresql.operator.recovery.serverName is required: the name of the Cluster the backups were written by" $r.serverName)) (omit $store "serverName")) | nindent 4 }}
{{- end }}
{{- end }}
