{{/*
The pod template shared by the Deployment and the sharded StatefulSet.
Usage: {{ include "badgey.podTemplate" . | nindent 4 }}
*/}}
{{- define "badgey.podTemplate" -}}
metadata:
  labels:
    {{- include "badgey.selectorLabels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    # A config or secret change rolls the pod.
    checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
    {{- if not .Values.existingSecret }}
    checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") . | sha256sum }}
    {{- end }}
    {{- if .Values.metrics.scrapeAnnotations }}
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ .Values.config.HEALTH_PORT | quote }}
    prometheus.io/path: /metrics
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "badgey.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.automountServiceAccountToken }}
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- with .Values.podSecurityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: bot
      image: {{ include "badgey.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      {{- with .Values.containerSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      ports:
        - name: http
          containerPort: {{ .Values.config.HEALTH_PORT }}
          protocol: TCP
      env:
        - name: BADGEY_CONFIG
          value: /etc/badgey/config.yaml
        {{- if .Values.sharding.enabled }}
        # One shard per pod: the StatefulSet ordinal is the shard id.
        - name: SHARD_IDS
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
        - name: SHARD_COUNT
          value: {{ .Values.replicaCount | quote }}
        {{- end }}
        {{- $maxOldSpace := include "badgey.maxOldSpaceMiB" . | int }}
        {{- $ownNodeOptions := false }}
        {{- range .Values.extraEnv }}{{ if eq .name "NODE_OPTIONS" }}{{ $ownNodeOptions = true }}{{ end }}{{ end }}
        {{- if and (gt $maxOldSpace 0) (not $ownNodeOptions) }}
        # V8's heap sized from the memory limit (nodeHeap.percentOfMemoryLimit), so Node collects
        # garbage before the pod reaches its limit instead of being OOM-killed.
        - name: NODE_OPTIONS
          value: {{ printf "--max-old-space-size=%d" $maxOldSpace | quote }}
        {{- end }}
        {{- range .Values.extraEnv }}
        - name: {{ .name }}
          value: {{ .value | quote }}
        {{- end }}
      envFrom:
        # DISCORD_TOKEN, and DATABASE_URL / ANALYTICS_SALT / HEALTH_AUTH_TOKEN when set.
        - secretRef:
            name: {{ include "badgey.secretName" . }}
      {{- with .Values.probes.startup }}
      {{- if .enabled }}
      startupProbe:
        httpGet:
          path: /health
          port: http
        initialDelaySeconds: {{ .initialDelaySeconds }}
        periodSeconds: {{ .periodSeconds }}
        timeoutSeconds: {{ .timeoutSeconds }}
        successThreshold: 1
        failureThreshold: {{ .failureThreshold }}
      {{- end }}
      {{- end }}
      {{- with .Values.probes.liveness }}
      {{- if .enabled }}
      livenessProbe:
        httpGet:
          path: /health
          port: http
        initialDelaySeconds: {{ .initialDelaySeconds }}
        periodSeconds: {{ .periodSeconds }}
        timeoutSeconds: {{ .timeoutSeconds }}
        successThreshold: 1
        failureThreshold: {{ .failureThreshold }}
      {{- end }}
      {{- end }}
      {{- with .Values.probes.readiness }}
      {{- if .enabled }}
      readinessProbe:
        httpGet:
          path: /ready
          port: http
        initialDelaySeconds: {{ .initialDelaySeconds }}
        periodSeconds: {{ .periodSeconds }}
        timeoutSeconds: {{ .timeoutSeconds }}
        successThreshold: {{ .successThreshold }}
        failureThreshold: {{ .failureThreshold }}
      {{- end }}
      {{- end }}
      resources:
        requests:
          {{- with .Values.resources.requests.cpu }}
          cpu: {{ . | quote }}
          {{- end }}
          {{- with .Values.resources.requests.memory }}
          memory: {{ . | quote }}
          {{- end }}
        limits:
          {{- with .Values.resources.limits.cpu }}
          cpu: {{ . | quote }}
          {{- end }}
          {{- with .Values.resources.limits.memory }}
          memory: {{ . | quote }}
          {{- end }}
      volumeMounts:
        - name: config
          mountPath: /etc/badgey
          readOnly: true
        - name: data
          mountPath: {{ .Values.persistence.mountPath }}
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: config
      configMap:
        name: {{ include "badgey.fullname" . }}
    {{- if not (and .Values.sharding.enabled .Values.persistence.enabled) }}
    - name: data
      {{- if .Values.persistence.enabled }}
      persistentVolumeClaim:
        claimName: {{ include "badgey.claimName" . }}
      {{- else }}
      emptyDir: {}
      {{- end }}
    {{- end }}
    - name: tmp
      emptyDir:
        medium: Memory
        sizeLimit: 64Mi
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
