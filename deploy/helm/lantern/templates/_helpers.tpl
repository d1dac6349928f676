{{- define "lantern.labels" -}}
app.kubernetes.io/name: lantern
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{/* Settings every node shares: Kafka, PostgreSQL, InfluxDB and the shared secrets. */}}
{{- define "lantern.clusterEnv" -}}
- name: LANTERN_KAFKA_BOOTSTRAP
  value: {{ .Values.kafka.bootstrap | quote }}
- name: LANTERN_KAFKA_TOPIC
  value: {{ .Values.kafka.topic | quote }}
- name: LANTERN_INFLUX_URL
  value: {{ .Values.influx.url | quote }}
- name: LANTERN_INFLUX_DB
  value: {{ .Values.influx.database | quote }}
- name: LANTERN_DB_URL
  value: {{ .Values.database.url | quote }}
- name: LANTERN_DB_USER
  value: {{ .Values.database.user | quote }}
- name: LANTERN_DB_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ .Values.existingSecret }}, key: db-password}}
- name: LANTERN_API_TOKEN
  valueFrom: {secretKeyRef: {name: {{ .Values.existingSecret }}, key: api-token}}
- name: LANTERN_PSK_KEY
  valueFrom: {secretKeyRef: {name: {{ .Values.existingSecret }}, key: psk-key}}
- name: LANTERN_HTTP_PORT
  value: {{ .Values.ports.http | quote }}
{{- end }}

{{- define "lantern.probes" -}}
livenessProbe:
  httpGet: {path: /health/live, port: http}
  initialDelaySeconds: 30
  periodSeconds: 15
readinessProbe:
  httpGet: {path: /health/ready, port: http}
  periodSeconds: 10
{{- end }}
