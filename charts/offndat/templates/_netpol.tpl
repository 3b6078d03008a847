{{/*
Egress every offndat process needs: DNS (the cluster DNS pods, plus networkPolicy.dns.extraTo such as NodeLocal
DNSCache's link-local address, on networkPolicy.dns.ports), then this release's data services.
Usage: include "offndat.netpol.dataEgress" (dict "ctx" $ "amqp" true "redis" true "pooler" true)
*/}}
{{- define "offndat.netpol.dataEgress" -}}
{{- $ctx := .ctx }}
{{- $dns := $ctx.Values.networkPolicy.dns }}
- to:
    - namespaceSelector:
        {{- toYaml $dns.namespaceSelector | nindent 8 }}
      podSelector:
        {{- toYaml $dns.podSelector | nindent 8 }}
    {{- with $dns.extraTo }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  ports:
    {{- range $dns.ports }}
    - {port: {{ . }}, protocol: UDP}
    - {port: {{ . }}, protocol: TCP}
    {{- end }}
{{- if eq $ctx.Values.postgresql.mode "operator" }}
- to:
    - podSelector: {matchLabels: {cnpg.io/cluster: {{ include "offndat.pg.cluster" $ctx }}}}
    {{- if and $ctx.Values.postgresql.operator.pooler.enabled .pooler }}
    - podSelector:
        matchExpressions:
          - {key: cnpg.io/poolerName, operator: In, values: [{{ include "offndat.pg.pooler" $ctx }}-rw, {{ include "offndat.pg.pooler" $ctx }}-ro]}
    {{- end }}
  ports:
    - {port: 5432, protocol: TCP}
{{- end }}
{{- if and .amqp (eq $ctx.Values.rabbitmq.mode "operator") }}
- to:
    - podSelector: {matchLabels: {app.kubernetes.io/name: {{ include "offndat.mq.cluster" $ctx }}}}
  ports:
    - {port: 5672, protocol: TCP}
{{- end }}
{{- if and .redis (eq $ctx.Values.redis.mode "internal") }}
- to:
    - podSelector:
        matchLabels:
          {{- include "offndat.selectorLabels" (dict "ctx" $ctx "component" "redis") | nindent 10 }}
  ports:
    - {port: 6379, protocol: TCP}
{{- end }}
{{- with $ctx.Values.networkPolicy.extraEgress }}
{{ toYaml . }}
{{- end }}
{{- end }}
