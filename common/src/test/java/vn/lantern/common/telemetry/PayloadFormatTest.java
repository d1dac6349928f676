package vn.lantern.common.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PayloadFormatTest {

  @Test
  void mapsContentTypes() {
    assertEquals(
        Optional.of(PayloadFormat.LANTERN_JSON), PayloadFormat.fromContentType("application/json"));
    assertEquals(
        Optional.of(PayloadFormat.SENML_JSON),
        PayloadFormat.fromContentType("application/senml+json"));
    assertEquals(
        Optional.of(PayloadFormat.SENML_CBOR),
        PayloadFormat.fromContentType("application/senml+cbor"));
  }

  @Test
  void contentTypeIgnoresCaseParametersAndWhitespace() {
    assertEquals(
        Optional.of(PayloadFormat.LANTERN_JSON),
        PayloadFormat.fromContentType("Application/JSON; charset=utf-8"));
    assertEquals(
        Optional.of(PayloadFormat.SENML_JSON),
        PayloadFormat.fromContentType(" application/senml+json ;charset=UTF-8"));
    assertEquals(
        Optional.of(PayloadFormat.SENML_CBOR),
        PayloadFormat.fromContentType("APPLICATION/SENML+CBOR"));
  }

  @Test
  void unknownOrMissingContentTypeIsEmpty() {
    assertTrue(PayloadFormat.fromContentType(null).isEmpty());
    assertTrue(PayloadFormat.fromContentType("").isEmpty());
    assertTrue(PayloadFormat.fromContentType("text/plain").isEmpty());
    assertTrue(PayloadFormat.fromContentType("application/jsonx").isEmpty());
    assertTrue(PayloadFormat.fromContentType("application/senml-exi").isEmpty());
  }

  @Test
  void mapsCoapContentFormats() {
    assertEquals(Optional.of(PayloadFormat.LANTERN_JSON), PayloadFormat.fromCoapContentFormat(50));
    assertEquals(Optional.of(PayloadFormat.SENML_JSON), PayloadFormat.fromCoapContentFormat(110));
    assertEquals(Optional.of(PayloadFormat.SENML_CBOR), PayloadFormat.fromCoapContentFormat(112));
    assertTrue(PayloadFormat.fromCoapContentFormat(0).isEmpty());
    assertTrue(PayloadFormat.fromCoapContentFormat(60).isEmpty());
  }

  @Test
  void gettersRoundTrip() {
    for (PayloadFormat format : PayloadFormat.values()) {
      assertEquals(Optional.of(format), PayloadFormat.fromContentType(format.contentType()));
      assertEquals(
          Optional.of(format), PayloadFormat.fromCoapContentFormat(format.coapContentFormat()));
    }
    assertEquals("application/senml+cbor", PayloadFormat.SENML_CBOR.contentType());
    assertEquals(110, PayloadFormat.SENML_JSON.coapContentFormat());
  }
}
