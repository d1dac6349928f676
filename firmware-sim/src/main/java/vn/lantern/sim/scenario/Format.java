package vn.lantern.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import vn.lantern.common.telemetry.PayloadFormat;

/** The payload format a simulated device encodes its readings in. */
public enum Format {
  @JsonProperty("lantern-json")
  LANTERN_JSON(PayloadFormat.LANTERN_JSON),
  @JsonProperty("senml-json")
  SENML_JSON(PayloadFormat.SENML_JSON),
  @JsonProperty("senml-cbor")
  SENML_CBOR(PayloadFormat.SENML_CBOR);

  private final PayloadFormat payloadFormat;

  Format(PayloadFormat payloadFormat) {
    this.payloadFormat = payloadFormat;
  }

  /** The platform's format, with its media type and CoAP Content-Format. */
  public PayloadFormat payloadFormat() {
    return payloadFormat;
  }
}
