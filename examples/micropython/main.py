# MicroPython publisher for a Lantern node (ESP32, Raspberry Pi Pico W ...), with umqtt.simple
# (bundled with most MicroPython ports; else `mip.install("umqtt.simple")`).
# umqtt speaks MQTT 3.1.1: a refused publish is not acknowledged, so wait_msg() times out and
# the reading is sent again after a reconnect. Edit the settings below.
import json
import time

import network
from umqtt.simple import MQTTClient

WIFI_SSID = "your-wifi"
WIFI_PASSWORD = "your-wifi-password"
HOST = "192.168.1.10"  # the Lantern node
PORT = 1883  # 8883 with SSL = True
SSL = False
DEVICE = "tamky-wl-01"  # registered in the node (PUT /api/v1/devices/{id})
SECRET = "the-device-secret"
INTERVAL_S = 60


def read_level():
    return 1.25  # replace with the sensor reading


def wifi():
    sta = network.WLAN(network.STA_IF)
    sta.active(True)
    if not sta.isconnected():
        sta.connect(WIFI_SSID, WIFI_PASSWORD)
        while not sta.isconnected():
            time.sleep(1)


def connect():
    delay = 1
    while True:
        try:
            wifi()
            client = MQTTClient(DEVICE, HOST, port=PORT, user=DEVICE, password=SECRET,
                                keepalive=60, ssl=SSL)
            client.connect()
            return client
        except OSError as e:
            print("connect failed:", e, "retry in", delay, "s")
            time.sleep(delay)
            delay = min(delay * 2, 60)  # exponential backoff


def main():
    client = connect()
    while True:
        # SenML: the metric is the name after the base name; the node dates it on arrival.
        payload = json.dumps([{"bn": "urn:dev:%s:" % DEVICE, "n": "level", "v": read_level()}])
        try:
            client.publish(b"telemetry", payload, qos=1)  # blocks until the PUBACK
        except OSError as e:
            print("publish failed:", e)
            client = connect()
            continue
        time.sleep(INTERVAL_S)


main()
