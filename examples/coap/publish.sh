#!/usr/bin/env bash
# Publish one reading to a Lantern node over CoAP with DTLS (PSK) using libcoap's client
# (Debian: libcoap3-bin). The node answers 2.04 only once the reading is stored.
#
#   LANTERN_HOST=127.0.0.1 LANTERN_COAPS_PORT=5684 DEVICE=hoian-wl-01 PSK=... \
#     ./publish.sh level 1.25
set -euo pipefail

metric=${1:?usage: publish.sh METRIC VALUE}
value=${2:?usage: publish.sh METRIC VALUE}
host=${LANTERN_HOST:-127.0.0.1}
port=${LANTERN_COAPS_PORT:-5684}
: "${DEVICE:?set DEVICE to the device id (PSK identity)}"
: "${PSK:?set PSK to the device PSK}"

# Content-Format 110 = SenML JSON; the metric is the name after the base name.
payload=$(printf '[{"bn":"urn:dev:%s:","n":"%s","v":%s}]' "$DEVICE" "$metric" "$value")
# -B: give up after 10 s; without -v, a 4.xx/5.xx answer prints its diagnostic payload.
out=$(coap-client-openssl -m post -t 110 -B 10 -u "$DEVICE" -k "$PSK" -e "$payload" \
  "coaps://$host:$port/telemetry" 2>&1) || { echo "publish failed: $out" >&2; exit 1; }
if [ -n "$out" ]; then
  echo "refused: $out" >&2
  exit 1
fi
echo "stored: $metric=$value" >&2
