package vn.lantern.ingest.coap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.ingest.coap.CoapTestClients.post;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.serialization.UdpDataParser;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * CoAP ingest end to end: real UDP and DTLS sockets, Californium and libcoap clients, a real
 * InfluxDB. One node serves the whole class; each test uses its own device or timestamps.
 */
@ExtendWith(InfluxDbExtension.class)
class CoapIngestTest {
  private static final Duration AWAIT = Duration.ofSeconds(20);
  private static final String ZONE = "hoi-an";
  private static final String WL = "hoian-wl-01";
  private static final String WL_PSK = "wl01-psk-0123456789abcdef";
  private static final String WL_SECRET = "wl01-secret-0123456789";
  private static final String GW = "hoian-gw-01";
  private static final String GW_PSK = "gw01-psk-0123456789abcdef";
  private static final String RAIN = "hoian-rg-07";
  private static final String AIR = "hoian-aq-09";

  @TempDir static Path dataDir;
  private static CoapTestNode node;
  private static TestInflux influx;
  private static CoapClient wlClient;
  private static CoapClient gwClient;

  @BeforeAll
  static void startNode(TestInflux testInflux) throws Exception {
    influx = testInflux;
    node = CoapTestNode.start(dataDir, influx.url(), influx.database(), 30_000);
    node.register(
        device(WL, "water_level", "Cau An Hoi").put("psk", WL_PSK).put("secret", WL_SECRET));
    node.register(
        device(GW, "gateway", "Hoi An market")
            .put("psk", GW_PSK)
            .put("secret", "gw01-secret-0123456789"));
    node.register(device(RAIN, "rain_gauge", "Hoi An market").put("gateway", GW));
    node.register(
        device(AIR, "air_quality", "Hoi An old town").put("psk", "aq09-psk-0123456789abc"));
    wlClient = CoapTestClients.dtls(node.coapsUri("/telemetry"), WL, WL_PSK);
    gwClient = CoapTestClients.dtls(node.coapsUri("/telemetry"), GW, GW_PSK);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (wlClient != null) {
      CoapTestClients.close(wlClient);
      CoapTestClients.close(gwClient);
    }
    if (node != null) {
      node.close();
    }
  }

  private static JsonObject device(String id, String type, String site) {
    return new JsonObject().put("id", id).put("type", type).put("zone", ZONE).put("site", site);
  }

  /** A distinct timestamp per test, whole seconds in the recent past. */
  private static long ts(int minutesAgo) {
    return (System.currentTimeMillis() / 1000 - minutesAgo * 60L) * 1000;
  }

  private static List<Map<String, Object>> awaitPoints(
      String measurement, String device, long ts, int n) {
    return influx.awaitRows(
        "SELECT * FROM " + measurement + " WHERE device = '" + device + "' AND time = " + ts + "ms",
        n,
        AWAIT);
  }

  @Test
  void lanternJsonOverDtlsIsStoredWithTheDevicesTags() {
    long ts = ts(10);
    CoapResponse response =
        post(
            wlClient,
            "/telemetry",
            ("{\"ts\": " + ts + ", \"m\": {\"level\": 1.25}}").getBytes(StandardCharsets.UTF_8),
            50);
    assertEquals(ResponseCode.CHANGED, response.getCode(), response.getResponseText());
    Map<String, Object> point = awaitPoints("water_level", WL, ts, 1).get(0);
    assertEquals(ts, point.get("time"));
    assertEquals(1.25, point.get("level"));
    assertEquals(ZONE, point.get("zone"));
    assertEquals("Cau An Hoi", point.get("site"));
  }

  @Test
  void senmlJsonPackWithBaseValuesAndRelativeTimes() {
    long bt = ts(20) / 1000;
    String pack =
        "[{\"bn\": \"urn:dev:"
            + WL
            + ":\", \"bt\": "
            + bt
            + ", \"bu\": \"m\","
            + " \"n\": \"level\", \"v\": 2.5},"
            + " {\"n\": \"level\", \"t\": -30, \"v\": 2.25},"
            + " {\"n\": \"battery\", \"u\": \"%EL\", \"t\": -30, \"v\": 87}]";
    CoapResponse response =
        post(wlClient, "/telemetry", pack.getBytes(StandardCharsets.UTF_8), 110);
    assertEquals(ResponseCode.CHANGED, response.getCode(), response.getResponseText());
    assertEquals(2.5, awaitPoints("water_level", WL, bt * 1000, 1).get(0).get("level"));
    Map<String, Object> earlier = awaitPoints("water_level", WL, (bt - 30) * 1000, 1).get(0);
    assertEquals(2.25, earlier.get("level"));
    assertEquals(87.0, earlier.get("battery"));
  }

  @Test
  void senmlCborWithIntegerLabels() throws IOException {
    long bt = ts(30) / 1000;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator cbor = new CBORFactory().createGenerator(out)) {
      cbor.writeStartArray();
      cbor.writeStartObject();
      cbor.writeFieldId(-2); // bn
      cbor.writeString("urn:dev:" + WL + ":");
      cbor.writeFieldId(-3); // bt
      cbor.writeNumber(bt);
      cbor.writeFieldId(0); // n
      cbor.writeString("level");
      cbor.writeFieldId(2); // v
      cbor.writeNumber(3.75);
      cbor.writeEndObject();
      cbor.writeStartObject();
      cbor.writeFieldId(0);
      cbor.writeString("level");
      cbor.writeFieldId(6); // t
      cbor.writeNumber(-60);
      cbor.writeFieldId(2);
      cbor.writeNumber(3.5);
      cbor.writeEndObject();
      cbor.writeEndArray();
    }
    CoapResponse response = post(wlClient, "/telemetry", out.toByteArray(), 112);
    assertEquals(ResponseCode.CHANGED, response.getCode(), response.getResponseText());
    assertEquals(3.75, awaitPoints("water_level", WL, bt * 1000, 1).get(0).get("level"));
    assertEquals(3.5, awaitPoints("water_level", WL, (bt - 60) * 1000, 1).get(0).get("level"));
  }

  @Test
  void nonConfirmableRequestIsStoredAndAnswered() {
    long ts = ts(15);
    CoapClient non = CoapTestClients.dtls(node.coapsUri("/telemetry"), WL, WL_PSK).useNONs();
    try {
      CoapResponse response =
          post(
              non,
              "/telemetry",
              ("{\"ts\": " + ts + ", \"m\": {\"level\": 1.5}}").getBytes(StandardCharsets.UTF_8),
              50);
      assertEquals(ResponseCode.CHANGED, response.getCode(), response.getResponseText());
      assertEquals(Type.NON, response.advanced().getType());
    } finally {
      CoapTestClients.close(non);
    }
    assertEquals(1.5, awaitPoints("water_level", WL, ts, 1).get(0).get("level"));
  }

  @Test
  void gatewayPostsForItsDeviceButNotForAForeignOne() {
    long ts = ts(40);
    byte[] reading =
        ("{\"ts\": " + ts + ", \"m\": {\"rain_mm\": 4.5}}").getBytes(StandardCharsets.UTF_8);
    CoapResponse own = post(gwClient, "/telemetry/" + RAIN, reading, 50);
    assertEquals(ResponseCode.CHANGED, own.getCode(), own.getResponseText());
    Map<String, Object> point = awaitPoints("rain_gauge", RAIN, ts, 1).get(0);
    assertEquals(4.5, point.get("rain_mm"));

    CoapResponse foreign = post(gwClient, "/telemetry/" + AIR, reading, 50);
    assertEquals(ResponseCode.FORBIDDEN, foreign.getCode());
    assertTrue(foreign.getResponseText().contains(AIR), foreign.getResponseText());
  }

  @Test
  void libcoapOpensslClientOverDtls() throws Exception {
    long ts = ts(50);
    CoapTestClients.Run run =
        CoapTestClients.libcoapPost(
            "coap-client-openssl",
            50,
            15,
            "{\"ts\": " + ts + ", \"m\": {\"level\": 0.75}}",
            node.coapsUri("/telemetry"),
            "-u",
            WL,
            "-k",
            WL_PSK);
    assertEquals(0, run.exit(), run.output());
    assertEquals(0.75, awaitPoints("water_level", WL, ts, 1).get(0).get("level"));
  }

  @Test
  void libcoapPlainUdpClientWithQueryCredentials() throws Exception {
    long ts = ts(60);
    CoapTestClients.Run run =
        CoapTestClients.libcoapPost(
            "coap-client-notls",
            110,
            15,
            "[{\"n\": \"level\", \"t\": " + ts / 1000 + ", \"v\": 0.5}]",
            node.coapUri("/telemetry?d=" + WL + "&s=" + WL_SECRET));
    assertEquals(0, run.exit(), run.output());
    assertEquals(0.5, awaitPoints("water_level", WL, ts, 1).get(0).get("level"));
  }

  @Test
  void reservedMetricNamesAreRefusedWith400() throws Exception {
    double invalid = node.messages("invalid_payload");
    long ts = ts(75);
    CoapTestClients.Run run =
        CoapTestClients.libcoapPost(
            "coap-client-openssl",
            110,
            15,
            "[{\"n\": \"device\", \"t\": " + ts / 1000 + ", \"v\": 7}]",
            node.coapsUri("/telemetry"),
            "-u",
            WL,
            "-k",
            WL_PSK);
    assertTrue(run.output().contains("4.00"), run.output());
    assertTrue(run.output().contains("reserved"), run.output());
    assertEquals(invalid + 1, node.messages("invalid_payload"));
    assertEquals(
        List.of(),
        influx.query(
            "SELECT * FROM water_level WHERE device = '" + WL + "' AND time = " + ts + "ms"));
  }

  @Test
  void errorCodesNameTheirCause() {
    byte[] valid = ("{\"m\": {\"level\": 1.0}}").getBytes(StandardCharsets.UTF_8);

    CoapResponse badJson =
        post(wlClient, "/telemetry", "{\"m\": ".getBytes(StandardCharsets.UTF_8), 50);
    assertEquals(ResponseCode.BAD_REQUEST, badJson.getCode());
    assertFalse(badJson.getResponseText().isBlank());

    CoapResponse badValue =
        post(
            wlClient,
            "/telemetry",
            "{\"m\": {\"level\": \"high\"}}".getBytes(StandardCharsets.UTF_8),
            50);
    assertEquals(ResponseCode.BAD_REQUEST, badValue.getCode());
    assertTrue(badValue.getResponseText().contains("level"), badValue.getResponseText());

    CoapResponse textPlain = post(wlClient, "/telemetry", valid, MediaTypeRegistry.TEXT_PLAIN);
    assertEquals(ResponseCode.UNSUPPORTED_CONTENT_FORMAT, textPlain.getCode());

    JsonArray tooMany = new JsonArray();
    long now = System.currentTimeMillis();
    for (int i = 0; i < 501; i++) {
      tooMany.add(
          new JsonObject().put("ts", now - i * 1000L).put("m", new JsonObject().put("level", 1.0)));
    }
    CoapResponse tooLarge =
        post(wlClient, "/telemetry", tooMany.encode().getBytes(StandardCharsets.UTF_8), 50);
    assertEquals(ResponseCode.REQUEST_ENTITY_TOO_LARGE, tooLarge.getCode());
    assertEquals(65_536, tooLarge.getOptions().getSize1());

    CoapClient udp = CoapTestClients.udp(node.coapUri("/telemetry"));
    try {
      CoapResponse noCredentials = post(udp, "/telemetry", valid, 50);
      assertEquals(ResponseCode.UNAUTHORIZED, noCredentials.getCode());
      CoapResponse wrongSecret =
          post(udp, "/telemetry?d=" + WL + "&s=not-the-secret-at-all", valid, 50);
      assertEquals(ResponseCode.UNAUTHORIZED, wrongSecret.getCode());
    } finally {
      CoapTestClients.close(udp);
    }
    assertTrue(node.messages("invalid_payload") >= 2);
    assertTrue(node.messages("unsupported_format") >= 1);
    assertTrue(node.messages("too_large") >= 1);
  }

  @Test
  void wrongPskNeverCompletesTheHandshake() throws Exception {
    double accepted = node.messages("accepted");
    CoapClient impostor =
        CoapTestClients.dtls(node.coapsUri("/telemetry"), WL, "not-the-right-psk-0123");
    impostor.setTimeout(5_000L);
    try {
      Request request = Request.newPost();
      request.setURI(node.coapsUri("/telemetry"));
      request.setPayload("{\"m\": {\"level\": 9.0}}");
      request.getOptions().setContentFormat(50);
      CoapResponse response;
      try {
        response = impostor.advanced(request);
      } catch (ConnectorException | IOException refused) {
        response = null;
      }
      assertEquals(null, response, "a client with a wrong PSK got an answer");
    } finally {
      CoapTestClients.close(impostor);
    }
    assertEquals(accepted, node.messages("accepted"));
  }

  @Test
  void blockwiseBatchOf500ReadingsIsStoredCompletely() {
    long start = ts(24 * 60);
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 500; i++) {
      batch.add(
          new JsonObject()
              .put("ts", start + i * 1000L)
              .put("m", new JsonObject().put("flow", i * 0.5)));
    }
    byte[] payload = batch.encode().getBytes(StandardCharsets.UTF_8);
    assertTrue(payload.length > 8 * 1024, "the batch must need many blocks");
    CoapResponse response = post(wlClient, "/telemetry", payload, 50);
    assertEquals(ResponseCode.CHANGED, response.getCode(), response.getResponseText());
    List<Map<String, Object>> rows =
        influx.awaitRows(
            "SELECT flow FROM water_level WHERE device = '"
                + WL
                + "' AND time >= "
                + start
                + "ms AND time < "
                + (start + 500_000)
                + "ms",
            500,
            AWAIT);
    assertEquals(500, rows.size());
    assertEquals(249.5, rows.get(499).get("flow"));
  }

  @Test
  void duplicateConfirmableRequestIsAnsweredFromTheExchangeStoreAndStoredOnce() throws Exception {
    long ts = ts(70);
    byte[] datagram = rawPost(4242, "{\"ts\": " + ts + ", \"m\": {\"level\": 4.0}}");
    InetSocketAddress server = new InetSocketAddress("127.0.0.1", node.node.coapPort());
    double acceptedBefore = node.messages("accepted");
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout((int) CoapTestClients.TIMEOUT_MS);
      Response first = exchange(socket, datagram, server);
      Response second = exchange(socket, datagram, server);
      assertEquals(ResponseCode.CHANGED, first.getCode());
      assertEquals(ResponseCode.CHANGED, second.getCode());
      assertEquals(4242, second.getMID());
      assertArrayEquals(first.getBytes(), second.getBytes());
    }
    awaitPoints("water_level", WL, ts, 1);
    assertEquals(acceptedBefore + 1, node.messages("accepted"));
  }

  /**
   * The deduplicator remembers only a peer's latest requests, so its memory stays bounded under
   * load (Californium's default kept every exchange for 247 s): a copy of a request that many newer
   * ones from the same peer have followed is ingested again.
   */
  @Test
  void deduplicationRemembersOnlyAPeersLatestRequests() throws Exception {
    long ts = ts(75);
    byte[] oldest = rawPost(5000, "{\"ts\": " + ts + ", \"m\": {\"level\": 4.5}}");
    InetSocketAddress server = new InetSocketAddress("127.0.0.1", node.node.coapPort());
    double acceptedBefore = node.messages("accepted");
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout((int) CoapTestClients.TIMEOUT_MS);
      assertEquals(ResponseCode.CHANGED, exchange(socket, oldest, server).getCode());
      for (int i = 1; i <= CoapEndpoint.DEDUPLICATED_PER_PEER; i++) {
        byte[] newer = rawPost(5000 + i, "{\"ts\": " + (ts + i) + ", \"m\": {\"level\": 4.5}}");
        assertEquals(ResponseCode.CHANGED, exchange(socket, newer, server).getCode());
      }
      assertEquals(ResponseCode.CHANGED, exchange(socket, oldest, server).getCode());
    }
    assertEquals(
        acceptedBefore + CoapEndpoint.DEDUPLICATED_PER_PEER + 2, node.messages("accepted"));
    // ingested twice, stored once: the second write overwrote the same point
    assertEquals(1, awaitPoints("water_level", WL, ts, 1).size());
  }

  /**
   * A device that restarts, keeps its source port (a fixed port, or a NAT that maps it again) and
   * counts message ids (and tokens) from where it began before may reuse an id the node still
   * remembers. Only a retransmission repeats a request byte for byte: a different request under a
   * remembered id must be stored, not answered with the remembered 2.04.
   */
  @Test
  void aNewRequestReusingARememberedMessageIdIsStored() throws Exception {
    long ts = ts(85);
    byte[] beforeRestart = rawPost(7000, "{\"ts\": " + ts + ", \"m\": {\"level\": 6.5}}");
    byte[] afterRestart = rawPost(7000, "{\"ts\": " + (ts + 1000) + ", \"m\": {\"level\": 6.75}}");
    InetSocketAddress server = new InetSocketAddress("127.0.0.1", node.node.coapPort());
    double reusedBefore = node.reusedMessageIds();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout((int) CoapTestClients.TIMEOUT_MS);
      assertEquals(ResponseCode.CHANGED, exchange(socket, beforeRestart, server).getCode());
      assertEquals(ResponseCode.CHANGED, exchange(socket, afterRestart, server).getCode());
    }
    assertEquals(6.5, awaitPoints("water_level", WL, ts, 1).get(0).get("level"));
    assertEquals(6.75, awaitPoints("water_level", WL, ts + 1000, 1).get(0).get("level"));
    assertEquals(reusedBefore + 1, node.reusedMessageIds());
  }

  /** A confirmable POST /telemetry of the water-level sensor on plain UDP, serialized. */
  private static byte[] rawPost(int mid, String json) {
    Request request = Request.newPost();
    request.setType(Type.CON);
    request.setMID(mid);
    request.setToken(new byte[] {(byte) (mid >> 8), (byte) mid, 3, 4});
    request.setURI(node.coapUri("/telemetry?d=" + WL + "&s=" + WL_SECRET));
    request.getOptions().setContentFormat(50);
    request.setPayload(json);
    InetSocketAddress server = new InetSocketAddress("127.0.0.1", node.node.coapPort());
    request.setDestinationContext(new AddressEndpointContext(server));
    return new UdpDataSerializer().serializeRequest(request).getBytes();
  }

  private static Response exchange(DatagramSocket socket, byte[] datagram, InetSocketAddress to)
      throws IOException {
    socket.send(new DatagramPacket(datagram, datagram.length, to));
    byte[] buffer = new byte[2048];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    socket.receive(packet);
    byte[] bytes = java.util.Arrays.copyOf(buffer, packet.getLength());
    Response response =
        (Response)
            new UdpDataParser()
                .parseMessage(
                    RawData.inbound(
                        bytes,
                        new AddressEndpointContext(to),
                        false,
                        0,
                        (InetSocketAddress) socket.getLocalSocketAddress()));
    response.setBytes(bytes);
    return response;
  }

  @Test
  void sameReadingOverMqttAndCoapLandsInOneSeries() throws Exception {
    long ts = ts(80);
    String reading = "{\"ts\": " + ts + ", \"m\": {\"level\": 5.5}}";
    MqttClient mqtt =
        new MqttClient(
            "tcp://127.0.0.1:" + node.node.mqttPort(), "wl-mqtt", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName(WL);
    options.setPassword(WL_SECRET.toCharArray());
    mqtt.connect(options);
    try {
      mqtt.publish("telemetry", reading.getBytes(StandardCharsets.UTF_8), 1, false);
    } finally {
      mqtt.disconnect();
      mqtt.close();
    }
    CoapResponse response =
        post(wlClient, "/telemetry", reading.getBytes(StandardCharsets.UTF_8), 50);
    assertEquals(ResponseCode.CHANGED, response.getCode(), response.getResponseText());
    List<Map<String, Object>> series =
        influx.queryAll("SELECT level FROM water_level WHERE time = " + ts + "ms GROUP BY *");
    assertEquals(1, series.size(), series.toString());
    assertEquals(5.5, series.get(0).get("level"));
    assertNotNull(series.get(0).get("device"));
  }
}
