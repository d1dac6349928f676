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
- name: LANTERN_KAFKA_SECURITY_PROTOCOL
  value: {{ .Values.kafka.securityProtocol | quote }}
{{- with .Values.kafka.caFile }}
- name: LANTERN_KAFKA_CA_FILE
  value: {{ . | quote }}
{{- end }}
{{- if .Values.kafka.certFile }}
- name: LANTERN_KAFKA_CERT_FILE
  value: {{ .Values.kafka.certFile | quote }}
- name: LANTERN_KAFKA_KEY_FILE
  value: {{ .Values.kafka.keyFile | quote }}
{{- end }}
{{- if hasPrefix "SASL_" .Values.kafka.securityProtocol }}
- name: LANTERN_KAFKA_SASL_MECHANISM
  value: {{ .Values.kafka.saslMechanism | quote }}
- name: LANTERN_KAFKA_USERNAME
  value: {{ .Values.kafka.username | quote }}
- name: LANTERN_KAFKA_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ .Values.existingSecret }}, key: kafka-password}}
{{- end }}
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
