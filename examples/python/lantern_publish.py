#!/usr/bin/env python3
"""Publish readings to a Lantern node over MQTT 5 with paho-mqtt (Debian: python3-paho-mqtt).

Each reading is one SenML pack (RFC 8428) sent with QoS 1; the node acknowledges it (PUBACK)
only once it is stored in InfluxDB. The client reconnects with exponential backoff (1 s .. 60 s)
and republishes what was not acknowledged.

    python3 lantern_publish.py --host 127.0.0.1 --device tamky-wl-01 --secret '...' \
        --metric level --value 1.25 --count 10 --interval 5
    python3 lantern_publish.py --host lantern.example --port 8883 --tls --ca ca.pem ...
"""
import argparse
import json
import sys
import threading
import time

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

# MQTT 5 reason codes the node answers with (docs/protocols.md).
REASONS = {
    0x86: "bad user name or password",
    0x87: "not authorized (unknown device, or a topic it may not publish on)",
    0x97: "quota exceeded",
    0x99: "payload format invalid",
}


def senml(device, metric, value, unit=None):
    record = {"bn": f"urn:dev:{device}:", "n": metric, "v": value, "t": time.time()}
    if unit:
        record["u"] = unit
    return json.dumps([record])


def connect(args):
    if hasattr(mqtt, "CallbackAPIVersion"):  # paho-mqtt 2.x
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=args.device,
                             protocol=mqtt.MQTTv5)
    else:  # paho-mqtt 1.6 (Debian 12)
        client = mqtt.Client(client_id=args.device, protocol=mqtt.MQTTv5)
    client.username_pw_set(args.device, args.secret)
    if args.tls:
        client.tls_set(ca_certs=args.ca)
    client.reconnect_delay_set(min_delay=1, max_delay=60)
    client.connected = threading.Event()

    def on_connect(client, userdata, flags, reason_code, properties=None):
        code = getattr(reason_code, "value", reason_code)
        if code == 0:
            print("connected", file=sys.stderr)
            client.connected.set()
        else:
            print(f"connection refused: 0x{code:02x} {REASONS.get(code, reason_code)}",
                  file=sys.stderr)
            if code in (0x86, 0x87):
                client.disconnect()  # wrong credentials: retrying will not help

    def on_disconnect(client, userdata, *rest):
        client.connected.clear()
        print("disconnected; paho reconnects with backoff", file=sys.stderr)

    client.on_connect = on_connect
    client.on_disconnect = on_disconnect
    client.connect_async(args.host, args.port, keepalive=30)
    client.loop_start()
    return client


def publish(client, args, value):
    if not client.connected.wait(args.timeout):
        raise TimeoutError(f"not connected within {args.timeout} s")
    props = Properties(PacketTypes.PUBLISH)
    props.ContentType = "application/senml+json"
    info = client.publish("telemetry", senml(args.device, args.metric, value, args.unit),
                          qos=1, properties=props)
    # Waits for the PUBACK; unacknowledged messages are resent after a reconnect.
    info.wait_for_publish(timeout=args.timeout)
    if not info.is_published():
        raise TimeoutError(f"no PUBACK within {args.timeout} s")
    # paho-mqtt 2.x reports the PUBACK reason code; 1.6 only that it arrived.
    code = getattr(info, "rc", 0)
    if code:
        raise RuntimeError(f"refused: {REASONS.get(code, code)}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=1883)
    p.add_argument("--device", required=True, help="device id (MQTT user name)")
    p.add_argument("--secret", required=True, help="device secret (MQTT password)")
    p.add_argument("--tls", action="store_true", help="MQTT over TLS (port 8883)")
    p.add_argument("--ca", help="CA bundle (PEM) of the node's certificate")
    p.add_argument("--metric", default="level")
    p.add_argument("--unit")
    p.add_argument("--value", type=float, default=1.0)
    p.add_argument("--count", type=int, default=1, help="readings to send, 0 = forever")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between readings")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a PUBACK")
    args = p.parse_args()

    client = connect(args)
    sent = 0
    try:
        while args.count == 0 or sent < args.count:
            publish(client, args, args.value + sent * 0.01)
            sent += 1
            print(f"acknowledged {sent}", file=sys.stderr)
            if args.count == 0 or sent < args.count:
                time.sleep(args.interval)
    except (TimeoutError, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        client.loop_stop()
        client.disconnect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
