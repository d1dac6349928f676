#!/usr/bin/env bash
# Builds the node image with podman and proves it works: started from the image, the node answers
# /health, takes a device registration and stores an MQTT reading in a real InfluxDB. Run through
# `./lantern bench image` (too slow for `./lantern test`: the first run builds a Debian base image).
#
# No Docker engine and no container registry are needed: podman runs with runc and cgroupfs, and
# the base image is built locally from Debian packages (mmdebstrap + openjdk-17-jre-headless) and
# passed as the Containerfile's BASE_IMAGE (its default stays the official Temurin JRE image).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_IMAGE=localhost/lantern-debian-jre17:bookworm
NODE_IMAGE=localhost/lantern-node:check
WORK="$(mktemp -d -t lantern-image-check-XXXXXX)"
CONTAINER="lantern-image-check-$$"
INFLUXD_PID=""

log() { printf 'image-check: %s\n' "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
  podman_cmd rm -f "$CONTAINER" >/dev/null 2>&1 || true
  [ -n "$INFLUXD_PID" ] && kill "$INFLUXD_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

printf '[containers]\ndefault_ulimits = []\n' >"$WORK/containers.conf"
export CONTAINERS_CONF="$WORK/containers.conf"
podman_cmd() { podman --runtime runc --cgroup-manager cgroupfs "$@"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

[ -f "$ROOT/deploy/target/lantern-standalone.jar" ] || {
  log "building the node jar"
  (cd "$ROOT" && mvn -B -q -DskipTests -Dspotless.check.skip=true -pl deploy -am package)
}

t=$(now)
if podman_cmd image exists "$BASE_IMAGE"; then
  log "base image $BASE_IMAGE present"
else
  log "building the base image from Debian packages (mmdebstrap)"
  mmdebstrap --quiet --variant=apt --include=openjdk-17-jre-headless,bash,passwd \
    bookworm "$WORK/base.tar"
  podman_cmd import --change 'CMD ["bash"]' "$WORK/base.tar" "$BASE_IMAGE" >/dev/null
  rm -f "$WORK/base.tar"
fi
log "base image ready in $(elapsed "$t") s"

t=$(now)
podman_cmd build --quiet --pull=never --network host --format docker \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "BUILD_IMAGE=$BASE_IMAGE" \
  -f "$ROOT/deploy/Containerfile" -t "$NODE_IMAGE" "$ROOT" >/dev/null
log "node image built in $(elapsed "$t") s ($(podman_cmd image inspect --format '{{.Size}}' "$NODE_IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"

INFLUX_PORT=$(free_port)
mkdir -p "$WORK/influxdb"
cat >"$WORK/influxdb/influxd.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$(free_port)"
[meta]
  dir = "$WORK/influxdb/meta"
[data]
  dir = "$WORK/influxdb/data"
  wal-dir = "$WORK/influxdb/wal"
[http]
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
[logging]
  level = "warn"
CONF
influxd run -config "$WORK/influxdb/influxd.conf" >"$WORK/influxd.log" 2>&1 &
INFLUXD_PID=$!

HTTP_PORT=$(free_port)
MQTT_PORT=$(free_port)
TOKEN="image-check-token-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
t=$(now)
podman_cmd run -d --name "$CONTAINER" --network host \
  -e LANTERN_HTTP_HOST=127.0.0.1 -e LANTERN_HTTP_PORT="$HTTP_PORT" \
  -e LANTERN_MQTT_HOST=127.0.0.1 -e LANTERN_MQTT_PORT="$MQTT_PORT" \
  -e LANTERN_COAPS_HOST=127.0.0.1 -e LANTERN_COAPS_PORT="$(free_udp_port)" \
  -e LANTERN_COAP_HOST=127.0.0.1 -e LANTERN_COAP_PORT="$(free_udp_port)" \
  -e LANTERN_INFLUX_URL="http://127.0.0.1:$INFLUX_PORT" \
  -e LANTERN_API_TOKEN="$TOKEN" \
  "$NODE_IMAGE" >/dev/null

healthy=""
for _ in $(seq 1 600); do
  if curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/health"; then healthy=yes; break; fi
  sleep 0.1
done
if [ -z "$healthy" ]; then
  podman_cmd logs "$CONTAINER" | tail -40 >&2
  log "FAIL: the container did not answer /health within 60 s"
  exit 1
fi
log "container answered /health $(elapsed "$t") s after start"
podman_cmd healthcheck run "$CONTAINER" || { log "FAIL: the image's HEALTHCHECK reports unhealthy"; exit 1; }
[ "$(podman_cmd exec "$CONTAINER" id -un)" = lantern ] || { log "FAIL: the node does not run as user lantern"; exit 1; }

curl -fs -X PUT "http://127.0.0.1:$HTTP_PORT/api/v1/devices/image-check-wl" \
  -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"type":"water_level","zone":"hoi-an","site":"image check","secret":"image-check-device-secret"}' >/dev/null
mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -u image-check-wl -P image-check-device-secret -q 1 \
  -t telemetry -m '{"m":{"level":1.62}}'
stored=""
for _ in $(seq 1 100); do
  if curl -fs -G "http://127.0.0.1:$INFLUX_PORT/query" --data-urlencode db=lantern \
    --data-urlencode "q=SELECT level FROM water_level WHERE device = 'image-check-wl'" | grep -q '1.62'; then
    stored=yes
    break
  fi
  sleep 0.1
done
[ -n "$stored" ] || { log "FAIL: the MQTT reading is not in InfluxDB"; exit 1; }
log "OK: the image runs as lantern, answers /health and stored an acknowledged MQTT reading"
