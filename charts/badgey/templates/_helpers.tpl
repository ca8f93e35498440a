{{/* Chart name, overridable with nameOverride. */}}
{{- define "badgey.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified name; the release name alone when it already contains the chart name. */}}
{{- define "badgey.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart name and version for the helm.sh/chart label. */}}
{{- define "badgey.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Common labels. */}}
{{- define "badgey.labels" -}}
helm.sh/chart: {{ include "badgey.chart" . }}
{{ include "badgey.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: bot
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels: name and instance only (selectors are immutable). */}}
{{- define "badgey.selectorLabels" -}}
app.kubernetes.io/name: {{ include "badgey.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* ServiceAccount name. */}}
{{- define "badgey.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "badgey.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the Secret holding the bot's secret env vars. */}}
{{- define "badgey.secretName" -}}
{{- default (include "badgey.fullname" .) .Values.existingSecret }}
{{- end }}

{{/* Name of the data PVC. */}}
{{- define "badgey.claimName" -}}
{{- default (printf "%s-data" (include "badgey.fullname" .)) .Values.persistence.existingClaim }}
{{- end }}

{{/* Image reference: digest wins over tag; the tag defaults to appVersion. */}}
{{- define "badgey.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Whether the database is PostgreSQL (its URL is a secret). */}}
{{- define "badgey.externalDatabase" -}}
{{- if or .Values.database.url .Values.existingSecret }}true{{ end }}
{{- end }}

{{/*
The bot's config file (ConfigMap data): the non-empty config values. DATABASE_URL is set here only
for the SQLite default; a PostgreSQL URL comes from the Secret, and the env var wins over the file
(so a DATABASE_URL in an existingSecret overrides this default too).
*/}}
{{- define "badgey.configFile" -}}
{{- $config := dict }}
{{- range $key, $value := .Values.config }}
{{- if ne (toString $value) "" }}{{ $_ := set $config $key $value }}{{ end }}
{{- end }}
{{- if not .Values.database.url }}
{{- $_ := set $config "DATABASE_URL" (printf "sqlite:%s/badgey.sqlite" (trimSuffix "/" .Values.persistence.mountPath)) }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/*
Render-time checks, each with the value to change. All failures are reported at once.
Usage: {{ include "badgey.validateValues" . }}
*/}}
{{- define "badgey.validateValues" -}}
{{- $messages := list }}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.sharding.enabled) }}
{{- $messages = append $messages "badgey: replicaCount > 1 needs sharding settings: two pods on one token would both answer every interaction. Set sharding.enabled=true (one shard per pod) or replicaCount=1." }}
{{- end }}
{{- if and (eq .Values.updateStrategy.type "RollingUpdate") (not .Values.sharding.enabled) }}
{{- $messages = append $messages "badgey: updateStrategy.type=RollingUpdate would run the old and new pod on one token at once. Use Recreate." }}
{{- end }}
{{- if and .Values.sharding.enabled (not (include "badgey.externalDatabase" .)) }}
{{- $messages = append $messages "badgey: sharding.enabled needs PostgreSQL (pods cannot share a SQLite file). Set database.url, or existingSecret with a DATABASE_URL key." }}
{{- end }}
{{- $budget := add (int .Values.config.SHUTDOWN_DELAY_SECONDS) (int .Values.config.SHUTDOWN_TIMEOUT_SECONDS) }}
{{- if le (int .Values.terminationGracePeriodSeconds) $budget }}
{{- $messages = append $messages (printf "badgey: terminationGracePeriodSeconds (%d) must exceed config.SHUTDOWN_DELAY_SECONDS + config.SHUTDOWN_TIMEOUT_SECONDS (%d), or Kubernetes kills the bot mid-shutdown. Raise terminationGracePeriodSeconds." (int .Values.terminationGracePeriodSeconds) $budget) }}
{{- end }}
{{- $mount := trimSuffix "/" .Values.persistence.mountPath }}
{{- if not (hasPrefix (printf "%s/" $mount) (printf "%s/" (trimSuffix "/" .Values.config.ANALYTICS_EXPORT_DIR))) }}
{{- $messages = append $messages (printf "badgey: config.ANALYTICS_EXPORT_DIR (%s) must be under persistence.mountPath (%s), the only writable volume besides /tmp." .Values.config.ANALYTICS_EXPORT_DIR $mount) }}
{{- end }}
{{- if and .Values.persistence.existingClaim .Values.sharding.enabled }}
{{- $messages = append $messages "badgey: persistence.existingClaim cannot be shared by the pods of a sharded StatefulSet; leave it empty (each pod gets its own claim)." }}
{{- end }}
{{- if $messages }}
{{- fail (printf "\n\nVALUES VALIDATION:\n%s" (join "\n" $messages)) }}
{{- end }}
{{- end }}

{{/*
V8's old-space limit in MiB: nodeHeap.percentOfMemoryLimit of resources.limits.memory (any
Kubernetes quantity: 384Mi, 1Gi, 512M, bytes). 0 when there is no memory limit or the percentage
is 0. Without it Node sizes its heap from the machine, not the container, and grows past the
limit until the kernel OOM-kills the pod instead of collecting garbage sooner.
*/}}
{{- define "badgey.maxOldSpaceMiB" -}}
{{- $quantity := toString (.Values.resources.limits.memory | default "") -}}
{{- $mibPerUnit := dict "Ki" 0.0009765625 "Mi" 1.0 "Gi" 1024.0 "Ti" 1048576.0 "k" 0.00095367431640625 "M" 0.95367431640625 "G" 953.67431640625 "T" 953674.31640625 "" 0.00000095367431640625 -}}
{{- $mib := 0.0 -}}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" $quantity -}}
{{- if $number -}}
{{- $unit := trimPrefix $number $quantity -}}
{{- if hasKey $mibPerUnit $unit -}}
{{- $mib = mulf (float64 $number) (get $mibPerUnit $unit) -}}
{{- end -}}
{{- end -}}
{{- divf (mulf $mib (float64 .Values.nodeHeap.percentOfMemoryLimit)) 100.0 | floor | int -}}
{{- end -}}
