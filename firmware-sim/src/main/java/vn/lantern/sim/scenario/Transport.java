package vn.lantern.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a simulated device reaches the node. */
public enum Transport {
  /** MQTT 3.1.1 (Paho v3). */
  @JsonProperty("mqtt3")
  MQTT3,
  /** MQTT 5 (Paho v5), with the payload's content type as a property. */
  @JsonProperty("mqtt5")
  MQTT5,
  /** CoAP over DTLS with a pre-shared key (Californium/Scandium). */
  @JsonProperty("coap")
  COAP
}
