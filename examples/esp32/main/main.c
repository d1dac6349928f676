/*
 * ESP32 publisher for a Lantern node with ESP-IDF's esp-mqtt (MQTT 5).
 *
 * Wi-Fi comes from ESP-IDF's protocol_examples_common (idf.py menuconfig -> Example Connection
 * Configuration). Set the node and the device below. Readings are SenML JSON, QoS 1: the node
 * sends the PUBACK only once a reading is stored, and answers a refusal with an MQTT 5 reason
 * code (0x87 not authorized, 0x99 payload format invalid, 0x97 quota exceeded). esp-mqtt
 * reconnects by itself; reconnect_timeout_ms spaces the attempts.
 */
#include <stdio.h>
#include <time.h>

#include "esp_event.h"
#include "esp_log.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "mqtt_client.h"
#include "nvs_flash.h"
#include "protocol_examples_common.h"

#define LANTERN_URI "mqtt://192.168.1.10:1883" /* mqtts://host:8883 with a CA below */
#define DEVICE_ID "hoian-wl-01"
#define DEVICE_SECRET "the-device-secret"
#define INTERVAL_MS 60000

static const char *TAG = "lantern";
static volatile bool connected;

static float read_level(void) { return 1.25f; /* replace with the sensor reading */ }

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data) {
  esp_mqtt_event_handle_t event = data;
  switch ((esp_mqtt_event_id_t)id) {
    case MQTT_EVENT_CONNECTED:
      connected = true;
      ESP_LOGI(TAG, "connected");
      break;
    case MQTT_EVENT_DISCONNECTED:
      connected = false;
      ESP_LOGW(TAG, "disconnected, esp-mqtt reconnects");
      break;
    case MQTT_EVENT_PUBLISHED:
      ESP_LOGI(TAG, "stored, msg_id=%d", event->msg_id);
      break;
    case MQTT_EVENT_ERROR:
      if (event->error_handle->error_type == MQTT_ERROR_TYPE_CONNECTION_REFUSED) {
        ESP_LOGE(TAG, "connection refused, reason 0x%x (wrong id or secret?)",
                 event->error_handle->connect_return_code);
      } else {
        ESP_LOGE(TAG, "error, reason code 0x%x", event->error_handle->error_type);
      }
      break;
    default:
      break;
  }
}

void app_main(void) {
  ESP_ERROR_CHECK(nvs_flash_init());
  ESP_ERROR_CHECK(esp_netif_init());
  ESP_ERROR_CHECK(esp_event_loop_create_default());
  ESP_ERROR_CHECK(example_connect());

  esp_mqtt_client_config_t config = {
      .broker.address.uri = LANTERN_URI,
      .credentials.username = DEVICE_ID,
      .credentials.client_id = DEVICE_ID,
      .credentials.authentication.password = DEVICE_SECRET,
      .session.protocol_ver = MQTT_PROTOCOL_V_5,
      .network.reconnect_timeout_ms = 5000,
  };
  esp_mqtt_client_handle_t client = esp_mqtt_client_init(&config);
  esp_mqtt_client_register_event(client, ESP_EVENT_ANY_ID, on_event, NULL);
  esp_mqtt5_publish_property_config_t props = {.content_type = "application/senml+json"};
  esp_mqtt_client_start(client);

  char payload[128];
  for (;;) {
    if (connected) {
      snprintf(payload, sizeof payload, "[{\"bn\":\"urn:dev:%s:\",\"n\":\"level\",\"v\":%.3f}]",
               DEVICE_ID, read_level());
      esp_mqtt5_client_set_publish_property(client, &props);
      /* QoS 1: esp-mqtt keeps the message in its outbox until the PUBACK, resending it. */
      esp_mqtt_client_publish(client, "telemetry", payload, 0, 1, 0);
    }
    vTaskDelay(pdMS_TO_TICKS(INTERVAL_MS));
  }
}
