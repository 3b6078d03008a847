{{/*
The PostgreSQL connection budget at the most pods the release can run: every api and worker pod at its
autoscaling maximum (or its fixed replicas), plus the 25 % a rolling update adds, each with full pools, plus the
migrations Job. Without PgBouncer those are server connections: on the primary (writes, and reads when there is
no replica) and on one replica (the -ro Service may send every read connection to the same one). With
PgBouncer, the clients count against each Pooler's max_client_conn and the servers see only the Poolers' pools.
Returns JSON: a list of {where, used, limit, sum, hint}; "offndat.connectionBudget.check" fails on any over its limit.
*/}}
{{- define "offndat.connectionBudget" -}}
{{- $pg := .Values.postgresql }}
{{- $apiPods := include "offndat.maxPods" (dict "ctx" . "component" "api") | int }}
{{- $workerPods := include "offndat.maxPods" (dict "ctx" . "component" "worker") | int }}
{{- $apiPeak := add $apiPods (div (add $apiPods 3) 4) }}
{{- $workerPeak := add $workerPods (div (add $workerPods 3) 4) }}
{{- $apiPool := int .Values.api.database.poolSize }}
{{- $apiReadPool := int .Values.api.database.readPoolSize }}
{{- $workerPool := int .Values.worker.database.poolSize }}
{{- $migrations := ternary 1 0 .Values.migrations.enabled }}
{{- $replicas := ternary (gt (int $pg.operator.instances) 1) (ne $pg.external.readUrlKey "") (eq $pg.mode "operator") }}
{{- $writers := add (mul $apiPeak $apiPool) (mul $workerPeak $workerPool) }}
{{- $writersSum := printf "api %d pods x %d + worker %d pods x %d" $apiPeak $apiPool $workerPeak $workerPool }}
{{- $readers := ternary (mul $apiPeak $apiReadPool) 0 $replicas }}
{{- $readersSum := printf "api %d pods x %d" $apiPeak $apiReadPool }}
{{- $rows := list }}
{{- if eq $pg.mode "operator" }}
{{- $limit := sub (int $pg.operator.parameters.max_connections) (int $pg.operator.reservedConnections) }}
{{- $reserved := printf "max_connections %s - %d reserved" (toString $pg.operator.parameters.max_connections) (int $pg.operator.reservedConnections) }}
{{- if $pg.operator.pooler.enabled }}
{{- $p := $pg.operator.pooler }}
{{- $poolers := add (int $p.instances) (div (add (int $p.instances) 3) 4) }}
{{- $serverPool := add (int ($p.parameters.default_pool_size | default "20")) (int ($p.parameters.reserve_pool_size | default "0")) }}
{{- $clientLimit := int ($p.parameters.max_client_conn | default "100") }}
{{- $rows = append $rows (dict "where" "PgBouncer -rw clients (max_client_conn of one pooler)" "used" $writers "limit" $clientLimit "sum" $writersSum "hint" "raise postgresql.operator.pooler.parameters.max_client_conn") }}
{{- $rows = append $rows (dict "where" "primary" "used" (add (mul $poolers $serverPool) $migrations) "limit" $limit "sum" (printf "%d poolers x %d (default_pool_size + reserve_pool_size) + %d migrations; %s" $poolers $serverPool $migrations $reserved)) }}
{{- if $replicas }}
{{- $rows = append $rows (dict "where" "PgBouncer -ro clients (max_client_conn of one pooler)" "used" $readers "limit" $clientLimit "sum" $readersSum "hint" "raise postgresql.operator.pooler.parameters.max_client_conn") }}
{{- $rows = append $rows (dict "where" "each replica" "used" (mul $poolers $serverPool) "limit" $limit "sum" (printf "%d poolers x %d; %s" $poolers $serverPool $reserved)) }}
{{- end }}
{{- else }}
{{- $rows = append $rows (dict "where" "primary" "used" (add $writers $migrations) "limit" $limit "sum" (printf "%s + %d migrations; %s" $writersSum $migrations $reserved)) }}
{{- if $replicas }}
{{- $rows = append $rows (dict "where" "each replica" "used" $readers "limit" $limit "sum" (printf "%s; %s" $readersSum $reserved)) }}
{{- end }}
{{- end }}
{{- else }}
{{- $limit := int $pg.external.maxConnections }}
{{- $rows = append $rows (dict "where" "primary" "used" (add $writers $migrations) "limit" $limit "sum" (printf "%s + %d migrations; postgresql.external.maxConnections (0: not checked)" $writersSum $migrations)) }}
{{- if $replicas }}
{{- $rows = append $rows (dict "where" "each replica" "used" $readers "limit" $limit "sum" (printf "%s; postgresql.external.maxConnections" $readersSum)) }}
{{- end }}
{{- end }}
{{- toJson $rows }}
{{- end }}

{{- define "offndat.connectionBudget.check" -}}
{{- range (include "offndat.connectionBudget" . | fromJsonArray) }}
{{- if and (gt (int .limit) 0) (gt (int .used) (int .limit)) }}
{{- fail (printf "PostgreSQL connection budget exceeded on %s: %d connections at the most pods this release runs (%s), over %d. Lower the pools (api.database, worker.database) or the autoscaling maximums, or %s." .where (int .used) .sum (int .limit) (.hint | default "enable postgresql.operator.pooler, or raise max_connections")) }}
{{- end }}
{{- end }}
{{- end }}
