package vn.lantern.gateway.uplink;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import vn.lantern.gateway.config.GatewayConfig;

/**
 * CoAP over DTLS 1.2 with a pre-shared key (Californium/Scandium): a confirmable {@code POST
 * /telemetry/{deviceId}} per message, Content-Format 110 (SenML JSON), PSK identity = gateway id.
 * 2.04 acknowledges; 4.xx is a refusal the same message would get again; 5.xx or no answer is
 * retried. {@code coap://} (no DTLS) works against a node in its insecure lab mode, identifying
 * with the URI query {@code d=<id>&s=<secret>}.
 */
public final class CoapTransport implements UplinkTransport {
  static {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
  }

  private final GatewayConfig config;
  private final URI base;
  private final boolean secure;
  private CoapEndpoint endpoint;
  private CoapClient client;
  private volatile boolean usable;

  public CoapTransport(GatewayConfig config) {
    this.config = config;
    this.base = URI.create(config.uplink().url().replaceAll("/+$", ""));
    this.secure = "coaps".equals(base.getScheme());
    if (secure && config.uplink().psk().isEmpty()) {
      throw new IllegalArgumentException("uplink.psk is required for a coaps:// uplink");
    }
  }

  @Override
  public synchronized void connect() {
    close();
    // Without a file Californium would write Californium3.properties into the working directory.
    Configuration cfg = Configuration.createStandardWithoutFile();
    CoapEndpoint.Builder builder = new CoapEndpoint.Builder().setConfiguration(cfg);
    if (secure) {
      cfg.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
      DtlsConnectorConfig dtls =
          DtlsConnectorConfig.builder(cfg)
              .setAddress(new InetSocketAddress(0))
              .setAdvancedPskStore(
                  new AdvancedSinglePskStore(
                      config.id(), config.uplink().psk().getBytes(StandardCharsets.US_ASCII)))
              .build();
      builder.setConnector(new DTLSConnector(dtls));
    }
    endpoint = builder.build();
    client = new CoapClient();
    client.setEndpoint(endpoint);
    client.setTimeout((long) config.uplink().ackTimeoutMs());
    // UDP has no connection: the DTLS handshake happens with the first request.
    usable = true;
  }

  @Override
  public boolean isConnected() {
    return usable;
  }

  @Override
  public void send(String deviceId, byte[] senmlJson, Consumer<Delivery> done) {
    CoapClient current;
    synchronized (this) {
      current = client;
    }
    if (current == null) {
      done.accept(Delivery.retry(-1, "not connected"));
      return;
    }
    Request post = Request.newPost();
    post.setURI(uri(deviceId));
    post.setConfirmable(true);
    post.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_SENML_JSON);
    post.setPayload(senmlJson);
    current.advanced(
        new CoapHandler() {
          @Override
          public void onLoad(CoapResponse response) {
            CoAP.ResponseCode code = response.getCode();
            int numeric = code.codeClass * 100 + code.codeDetail;
            if (code == CoAP.ResponseCode.CHANGED || code == CoAP.ResponseCode.CREATED) {
              done.accept(Delivery.acked(numeric));
            } else if (code.codeClass == CoAP.CodeClass.ERROR_RESPONSE.value) {
              done.accept(Delivery.refused(numeric, code + " " + response.getResponseText()));
            } else {
              done.accept(Delivery.retry(numeric, code.toString()));
            }
          }

          @Override
          public void onError() {
            // No answer after CoAP's own retransmissions: start over with a new DTLS session.
            usable = false;
            done.accept(Delivery.retry(-1, "no CoAP response"));
          }
        },
        post);
  }

  private String uri(String deviceId) {
    String path = base + "/telemetry/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8);
    if (secure) {
      return path;
    }
    return path
        + "?d="
        + URLEncoder.encode(config.id(), StandardCharsets.UTF_8)
        + "&s="
        + URLEncoder.encode(config.secret(), StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    usable = false;
    if (client != null) {
      client.shutdown();
      endpoint.destroy();
      client = null;
      endpoint = null;
    }
  }
}
