{{/* The blocklist file: a ConfigMap of blocklist.rules, mounted into the api and the worker (BLOCKLIST_FILE). */}}
{{- define "offndat.env.blocklist" -}}
{{- if .Values.blocklist.rules }}
- name: BLOCKLIST_FILE
  value: /etc/offndat/blocklist/rules.txt
{{- end }}
{{- end }}

{{- define "offndat.blocklist.mount" -}}
{{- if .Values.blocklist.rules }}
- {name: blocklist, mountPath: /etc/offndat/blocklist, readOnly: true}
{{- end }}
{{- end }}

{{- define "offndat.blocklist.volume" -}}
{{- if .Values.blocklist.rules }}
- name: blocklist
  configMap: {name: {{ include "offndat.fullname" . }}-blocklist}
{{- end }}
{{- end }}
