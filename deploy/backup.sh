#!/usr/bin/env bash
# Backup and restore of a Lantern node: the relational store (the embedded H2 file, or PostgreSQL
# with pg_dump when LANTERN_DB_URL names one), the key files of the data directory, and InfluxDB
# (influxd backup -portable). Run through `./lantern backup` and `./lantern restore`; see
# docs/operations.md.
set -euo pipefail

log() { printf 'lantern %s: %s\n' "$CMD" "$*" >&2; }
die() { log "$*"; exit 1; }

# Files of the data directory that are secrets the store needs (the PSK key decrypts device PSKs).
KEY_FILES=(psk.key jwt-secret admin-password)
H2_FILE=lantern.mv.db

usage() {
  cat <<'USAGE'
Usage: ./lantern backup  --data-dir DIR --out BACKUP_DIR [--influx-rpc HOST:PORT] [--influx-db NAME]
       ./lantern restore --from BACKUP_DIR --data-dir DIR [--influx-rpc HOST:PORT] [--influx-db NAME]

backup writes BACKUP_DIR with:
  relational.mv.db   the embedded store (the node must be stopped: H2 keeps its file open), or
  relational.pgdump  pg_dump -Fc of the PostgreSQL store when LANTERN_DB_URL is set
                     (LANTERN_DB_USER, LANTERN_DB_PASSWORD as for the node)
  keys/              psk.key, jwt-secret, admin-password from the data directory
  influx/            influxd backup -portable of database NAME (default lantern) through the
                     RPC address of influxd (bind-address in influxdb.conf, default 127.0.0.1:8088)
restore puts them back: the embedded file and key files into DIR (which must hold no store yet),
PostgreSQL with pg_restore --clean into LANTERN_DB_URL, InfluxDB with influxd restore -portable
(the database must not exist on that server: drop it first, or restore elsewhere).
USAGE
}

# jdbc:postgresql://HOST[:PORT]/DB -> exports PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD
pg_env() {
  local rest=${LANTERN_DB_URL#jdbc:postgresql://}
  [ "$rest" != "$LANTERN_DB_URL" ] || die "LANTERN_DB_URL is not a jdbc:postgresql:// URL"
  local hostport=${rest%%/*} db=${rest#*/}
  export PGHOST=${hostport%%:*} PGDATABASE=${db%%\?*}
  export PGPORT=5432
  [ "$hostport" = "$PGHOST" ] || PGPORT=${hostport##*:}
  export PGUSER=${LANTERN_DB_USER:-lantern} PGPASSWORD=${LANTERN_DB_PASSWORD:-}
}

CMD=${1:-}
shift || true
DATA_DIR="" OUT="" FROM="" INFLUX_RPC="" INFLUX_DB=lantern
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) DATA_DIR=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --from) FROM=$2; shift 2 ;;
    --influx-rpc) INFLUX_RPC=$2; shift 2 ;;
    --influx-db) INFLUX_DB=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[ -n "$DATA_DIR" ] || { usage >&2; exit 2; }

case "$CMD" in
  backup)
    [ -n "$OUT" ] || { usage >&2; exit 2; }
    [ ! -e "$OUT" ] || die "$OUT exists: give a new directory"
    mkdir -p "$OUT/keys"
    if [ -n "${LANTERN_DB_URL:-}" ]; then
      pg_env
      pg_dump -Fc -f "$OUT/relational.pgdump"
      log "PostgreSQL $PGHOST:$PGPORT/$PGDATABASE dumped"
    else
      [ -f "$DATA_DIR/$H2_FILE" ] || die "no $H2_FILE in $DATA_DIR"
      cp "$DATA_DIR/$H2_FILE" "$OUT/relational.mv.db"
      log "embedded store copied"
    fi
    for key in "${KEY_FILES[@]}"; do
      [ ! -f "$DATA_DIR/$key" ] || cp -p "$DATA_DIR/$key" "$OUT/keys/$key"
    done
    if [ -n "$INFLUX_RPC" ]; then
      influxd backup -portable -host "$INFLUX_RPC" -database "$INFLUX_DB" "$OUT/influx" >"$OUT/influx-backup.log" 2>&1 ||
        die "influxd backup failed: $(tail -5 "$OUT/influx-backup.log")"
      log "InfluxDB database $INFLUX_DB backed up"
    fi
    chmod -R go-rwx "$OUT"
    log "done: $OUT"
    ;;
  restore)
    [ -n "$FROM" ] || { usage >&2; exit 2; }
    mkdir -p "$DATA_DIR"
    if [ -f "$FROM/relational.pgdump" ]; then
      [ -n "${LANTERN_DB_URL:-}" ] || die "the backup is of PostgreSQL: set LANTERN_DB_URL"
      pg_env
      pg_restore --clean --if-exists --no-owner -d "$PGDATABASE" "$FROM/relational.pgdump"
      log "PostgreSQL $PGHOST:$PGPORT/$PGDATABASE restored"
    elif [ -f "$FROM/relational.mv.db" ]; then
      [ ! -e "$DATA_DIR/$H2_FILE" ] || die "$DATA_DIR already holds a store ($H2_FILE): move it away first"
      cp "$FROM/relational.mv.db" "$DATA_DIR/$H2_FILE"
      log "embedded store restored"
    else
      die "$FROM holds no relational store"
    fi
    for key in "${KEY_FILES[@]}"; do
      [ ! -f "$FROM/keys/$key" ] || install -m 0600 "$FROM/keys/$key" "$DATA_DIR/$key"
    done
    if [ -n "$INFLUX_RPC" ] && [ -d "$FROM/influx" ]; then
      influxd restore -portable -host "$INFLUX_RPC" -db "$INFLUX_DB" "$FROM/influx" >"$DATA_DIR/influx-restore.log" 2>&1 ||
        die "influxd restore failed: $(tail -5 "$DATA_DIR/influx-restore.log")"
      log "InfluxDB database $INFLUX_DB restored"
    fi
    log "done: $DATA_DIR"
    ;;
  *) usage >&2; exit 2 ;;
esac
