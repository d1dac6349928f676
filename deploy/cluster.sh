#!/usr/bin/env bash
# `./lantern cluster up|down|status`: the scale-out topology on one machine, every server on a free
# loopback port, everything under one directory (default var/cluster):
#   a real Apache Kafka broker in KRaft mode (org.apache.kafka:kafka_2.13 from Maven Central, in its
#   own JVM), a throwaway PostgreSQL cluster (Debian's postgresql), InfluxDB, 2 ingest nodes and
#   2 rules nodes of the standalone jar.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/deploy/target/lantern-standalone.jar"
# Tests run the nodes and the broker from their own class path instead of the jar and of a Maven
# resolution: LANTERN_NODE_CLASSPATH (holding vn.lantern.deploy.StandaloneNode) and
# LANTERN_KAFKA_CLASSPATH (holding kafka.Kafka).
NODE_CLASSPATH="${LANTERN_NODE_CLASSPATH:-}"
KAFKA_CLASSPATH="${LANTERN_KAFKA_CLASSPATH:-}"
# how long each node may take to start (a loaded machine needs more)
WAIT_S="${LANTERN_CLUSTER_WAIT_S:-180}"
DIR="${LANTERN_CLUSTER_DIR:-$ROOT/var/cluster}"
STATE="$DIR/cluster.env"

log() { printf 'lantern cluster: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

pg_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  dirname "$(command -v initdb)"
}

# PostgreSQL refuses to run as root: under root it runs as the postgres user of the package.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

wait_for() { # description seconds command...
  local what=$1 secs=$2 i
  shift 2
  for ((i = 0; i < secs * 5; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "$what did not come up within ${secs}s (logs in $DIR)"
}
http_ok() { curl -fs -o /dev/null "$1"; }
tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

kafka_classpath() {
  if [ -n "$KAFKA_CLASSPATH" ]; then
    echo "$KAFKA_CLASSPATH"
    return
  fi
  local version
  version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/pom.xml")
  mkdir -p "$DIR/kafka"
  cat >"$DIR/kafka/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>vn.lantern</groupId><artifactId>lantern-cluster-kafka</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies><dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
    <version>$version</version></dependency></dependencies>
</project>
POM
  (cd "$DIR/kafka" && mvn -B -q dependency:build-classpath -Dmdep.outputFile=classpath.txt >/dev/null) ||
    die "cannot resolve org.apache.kafka:kafka_2.13:$version"
  cat "$DIR/kafka/classpath.txt"
}

start_node() { # name role env...
  local name=$1 role=$2
  shift 2
  mkdir -p "$DIR/$name"
  local launch=(-jar "$JAR")
  [ -z "$NODE_CLASSPATH" ] || launch=(-cp "$NODE_CLASSPATH" vn.lantern.deploy.StandaloneNode)
  env "$@" LANTERN_DATA_DIR="$DIR/$name" java -Xmx512m "${launch[@]}" \
    --role "$role" >"$DIR/$name/node.log" 2>&1 &
  echo $! >"$DIR/$name/pid"
}

cmd_up() {
  [ ! -f "$STATE" ] || die "a cluster is already up in $DIR (./lantern cluster down first)"
  [ -n "$NODE_CLASSPATH" ] || [ -f "$JAR" ] || die "build first: mvn -B -DskipTests install"
  mkdir -p "$DIR"
  local pg_port influx_port influx_rpc kafka_port kafka_ctl token psk jwt classpath
  pg_port=$(free_port) influx_port=$(free_port) influx_rpc=$(free_port)
  kafka_port=$(free_port) kafka_ctl=$(free_port)
  token=$(random_hex 24) jwt=$(random_hex 32)
  psk=$(head -c 32 /dev/urandom | base64)

  log "PostgreSQL on 127.0.0.1:$pg_port"
  mkdir -p "$DIR/postgres"
  [ "$(id -u)" -ne 0 ] || chown postgres "$DIR/postgres"
  as_pg "$(pg_bin)/initdb" -D "$DIR/postgres/data" -A trust -U lantern -E UTF8 --locale=C >"$DIR/postgres/initdb.log"
  as_pg "$(pg_bin)/pg_ctl" -D "$DIR/postgres/data" -l "$DIR/postgres/postgres.log" -w \
    -o "-p $pg_port -h 127.0.0.1 -k $DIR/postgres" start >/dev/null
  as_pg "$(pg_bin)/createdb" -h 127.0.0.1 -p "$pg_port" -U lantern lantern

  log "InfluxDB on 127.0.0.1:$influx_port"
  mkdir -p "$DIR/influxdb"
  cat >"$DIR/influxdb/influxd.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$influx_rpc"
[meta]
  dir = "$DIR/influxdb/meta"
[data]
  dir = "$DIR/influxdb/data"
  wal-dir = "$DIR/influxdb/wal"
[http]
  bind-address = "127.0.0.1:$influx_port"
  log-enabled = false
[logging]
  level = "warn"
CONF
  influxd run -config "$DIR/influxdb/influxd.conf" >"$DIR/influxdb/influxd.log" 2>&1 &
  echo $! >"$DIR/influxdb/pid"

  log "Kafka (KRaft) on 127.0.0.1:$kafka_port"
  mkdir -p "$DIR/kafka"
  classpath=$(kafka_classpath)
  cat >"$DIR/kafka/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$kafka_ctl
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$kafka_ctl
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DIR/kafka/data
num.partitions=6
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  java -cp "$classpath" kafka.tools.StorageTool format --standalone -c "$DIR/kafka/server.properties" \
    -t "$(java -cp "$classpath" kafka.tools.StorageTool random-uuid 2>/dev/null)" >"$DIR/kafka/format.log" 2>&1
  java -Xmx512m -cp "$classpath" kafka.Kafka "$DIR/kafka/server.properties" >"$DIR/kafka/kafka.log" 2>&1 &
  echo $! >"$DIR/kafka/pid"
  wait_for InfluxDB "$WAIT_S" http_ok "http://127.0.0.1:$influx_port/ping"
  wait_for Kafka "$WAIT_S" tcp_open "$kafka_port"

  local shared=(
    LANTERN_DB_URL="jdbc:postgresql://127.0.0.1:$pg_port/lantern" LANTERN_DB_USER=lantern
    LANTERN_INFLUX_URL="http://127.0.0.1:$influx_port" LANTERN_KAFKA_BOOTSTRAP="127.0.0.1:$kafka_port"
    LANTERN_API_TOKEN="$token" LANTERN_PSK_KEY="$psk" LANTERN_JWT_SECRET="$jwt"
    LANTERN_HTTP_HOST=127.0.0.1 LANTERN_MQTT_HOST=127.0.0.1 LANTERN_COAPS_HOST=127.0.0.1
    LANTERN_COAP_HOST=127.0.0.1
  )
  {
    echo "TOKEN=$token"
    echo "POSTGRES=jdbc:postgresql://127.0.0.1:$pg_port/lantern"
    echo "INFLUX=http://127.0.0.1:$influx_port"
    echo "INFLUX_RPC=127.0.0.1:$influx_rpc"
    echo "KAFKA=127.0.0.1:$kafka_port"
  } >"$STATE"
  local i http mqtt coaps first_ingest=""
  # ingest-1 alone first: it migrates the fresh PostgreSQL, the others start against it together
  for i in 1 2; do
    http=$(free_port) mqtt=$(free_port) coaps=$(free_udp_port)
    start_node "ingest-$i" ingest "${shared[@]}" LANTERN_HTTP_PORT="$http" LANTERN_MQTT_PORT="$mqtt" \
      LANTERN_COAPS_PORT="$coaps" LANTERN_COAP_PORT="$(free_udp_port)"
    echo "INGEST_$i=http://127.0.0.1:$http mqtt://127.0.0.1:$mqtt coaps://127.0.0.1:$coaps" >>"$STATE"
    if [ -z "$first_ingest" ]; then
      first_ingest=http://127.0.0.1:$http
      wait_for "ingest-1" "$WAIT_S" http_ok "$first_ingest/health/live"
    fi
  done
  # rules-1 alone first as well: the first rules node seeds the admin user and KPI definitions
  for i in 1 2; do
    http=$(free_port)
    start_node "rules-$i" rules "${shared[@]}" LANTERN_HTTP_PORT="$http" LANTERN_INGEST_API="$first_ingest"
    echo "RULES_$i=http://127.0.0.1:$http" >>"$STATE"
    wait_for "rules-$i" "$WAIT_S" http_ok "http://127.0.0.1:$http/health/live"
  done
  wait_for "ingest-2" "$WAIT_S" http_ok "$(sed -n 's/^INGEST_2=\([^ ]*\).*/\1/p' "$STATE")/health/live"
  cmd_status
}

cmd_status() {
  [ -f "$STATE" ] || { log "no cluster in $DIR"; return 1; }
  local name pid
  echo "Lantern cluster in $DIR"
  sed -e 's/^TOKEN=/  API token (LANTERN_API_TOKEN): /' -e 's/^POSTGRES=/  PostgreSQL: /' \
    -e 's/^INFLUX=/  InfluxDB: /' -e 's/^INFLUX_RPC=/  InfluxDB RPC (backup): /' \
    -e 's/^KAFKA=/  Kafka: /' -e 's/^INGEST_\([0-9]\)=/  ingest-\1: /' -e 's/^RULES_\([0-9]\)=/  rules-\1 (console, rules API): /' "$STATE"
  echo "  Kafka topics: lantern.readings (telemetry and commands, keyed by zone),"\
    "lantern.events (what each rules node computes for its zones, read by every rules node)"
  for name in postgres influxdb kafka ingest-1 ingest-2 rules-1 rules-2; do
    pid=$(cat "$DIR/$name/pid" 2>/dev/null || head -1 "$DIR/postgres/data/postmaster.pid" 2>/dev/null || echo "")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "  $name: running (pid $pid)"; else echo "  $name: DOWN"; fi
  done
}

cmd_down() {
  [ -d "$DIR" ] || { log "no cluster in $DIR"; return 0; }
  local name pid
  for name in rules-2 rules-1 ingest-2 ingest-1 kafka influxdb; do
    pid=$(cat "$DIR/$name/pid" 2>/dev/null || echo "")
    [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  done
  sleep 2
  for name in rules-2 rules-1 ingest-2 ingest-1 kafka influxdb; do
    pid=$(cat "$DIR/$name/pid" 2>/dev/null || echo "")
    [ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true
  done
  [ ! -d "$DIR/postgres/data" ] || as_pg "$(pg_bin)/pg_ctl" -D "$DIR/postgres/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
  log "stopped and removed $DIR"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *)
    cat <<'USAGE'
Usage: ./lantern cluster up|down|status

up      starts, on free 127.0.0.1 ports under var/cluster (LANTERN_CLUSTER_DIR): a Kafka broker in
        KRaft mode (kafka_2.13 from Maven Central, its own JVM), a throwaway PostgreSQL (Debian's
        postgresql), InfluxDB, 2 ingest nodes (--role ingest) and 2 rules nodes (--role rules)
        sharing the PostgreSQL store, then prints where to connect
status  prints where to connect and which processes run
down    stops everything and deletes the cluster's directory
USAGE
    ;;
esac
