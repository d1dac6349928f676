package vn.lantern.sim.device;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.concurrent.CompletableFuture;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import vn.lantern.common.telemetry.PayloadFormat;
import vn.lantern.common.tls.ClientTls;

/**
 * CoAP over DTLS 1.2 with a pre-shared key (identity = device id) or a device certificate (CN =
 * device id, the node's certificate checked against a CA file), Californium/Scandium: each reading
 * is a confirmable {@code POST /telemetry} with the payload's Content-Format. 2.04 is the
 * acknowledgement, 4.xx a refusal for good, anything else (5.03, a timeout) is sent again later. On
 * a {@code coap://} URI (a lab node with plain UDP on) the device identifies with {@code
 * ?d=<id>&s=<secret>} instead.
 */
public final class CoapUplink implements Uplink {
  static {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
  }

  private final String uri;
  private final boolean plain;
  private final String deviceId;
  private final byte[] psk;
  private final ClientTls tls;
  private final int contentFormat;
  private final CoapClientThreads threads;
  private final CoapMessageIds messageIds;
  private CoapEndpoint endpoint;
  private CoapClient client;

  /**
   * @param serverUri {@code coaps://host:port}, or {@code coap://host:port} for plain UDP
   * @param secret the device's secret, sent in the URI query on plain UDP only
   * @param tls the device's certificate and the CAs of the node's certificate, or {@code null} (or
   *     one without a client certificate) to use the PSK
   */
  public CoapUplink(
      String serverUri,
      String deviceId,
      String psk,
      String secret,
      PayloadFormat format,
      ClientTls tls) {
    this(serverUri, deviceId, psk, secret, format, tls, null, CoapMessageIds.DEFAULT);
  }

  /**
   * A client on threads shared with other clients of this process (a load generator's hundreds of
   * devices), see {@link CoapClientThreads}.
   *
   * @param threads the shared threads, or {@code null} for threads of its own
   * @param messageIds the message ids it uses towards the node: {@link CoapMessageIds#DEFAULT}, or
   *     fewer to make it run out of them sooner (a test)
   */
  public CoapUplink(
      String serverUri,
      String deviceId,
      String psk,
      String secret,
      PayloadFormat format,
      ClientTls tls,
      CoapClientThreads threads,
      CoapMessageIds messageIds) {
    this.threads = threads;
    this.messageIds = messageIds;
    String base = serverUri.replaceAll("/+$", "") + "/telemetry";
    this.plain = serverUri.startsWith("coap://");
    if (plain && secret == null) {
      throw new IllegalArgumentException("plain CoAP needs the device's secret");
    }
    this.uri =
        plain
            ? base
                + "?d="
                + URLEncoder.encode(deviceId, StandardCharsets.UTF_8)
                + "&s="
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)
            : base;
    this.deviceId = deviceId;
    this.psk = psk == null ? null : psk.getBytes(StandardCharsets.UTF_8);
    this.tls = tls != null && tls.hasClientCertificate() ? tls : null;
    if (this.tls != null && this.tls.trustedCas().isEmpty()) {
      throw new IllegalArgumentException(
          "DTLS with a device certificate needs the CA file of the node's certificate");
    }
    this.contentFormat = format.coapContentFormat();
  }

  @Override
  public synchronized CompletableFuture<Void> connect() {
    if (client == null) {
      // The registered modules' defaults, without a file (Californium would otherwise write
      // Californium3.properties into the working dir), and this client's own: not made the
      // process's standard configuration, which this client's settings (a test's few message
      // ids) would then leak into.
      Configuration config = new Configuration();
      config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
      // A sensor has one request in flight or a few: one thread per stage is plenty, and keeps
      // hundreds of simulated devices affordable.
      config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 1);
      config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
      config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
      messageIds.applyTo(config);
      if (plain) {
        endpoint =
            new CoapEndpoint.Builder()
                .setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress(0))
                .build();
        useSharedThreads(null);
        client = new CoapClient(uri);
        client.setEndpoint(endpoint);
        return CompletableFuture.completedFuture(null);
      }
      DtlsConnectorConfig.Builder dtls =
          DtlsConnectorConfig.builder(config).setAddress(new InetSocketAddress(0));
      if (tls == null) {
        dtls.setAdvancedPskStore(new AdvancedSinglePskStore(deviceId, psk));
      } else {
        dtls.setCertificateIdentityProvider(
                new SingleCertificateProvider(tls.privateKey(), tls.certificateChain()))
            .setAdvancedCertificateVerifier(
                StaticNewAdvancedCertificateVerifier.builder()
                    .setTrustedCertificates(tls.trustedCas().toArray(new Certificate[0]))
                    .build());
      }
      DTLSConnector connector = new DTLSConnector(dtls.build());
      endpoint =
          new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build();
      useSharedThreads(connector);
      client = new CoapClient(uri);
      client.setEndpoint(endpoint);
    }
    // The DTLS handshake happens with the first request; the link counts as up until it fails.
    return CompletableFuture.completedFuture(null);
  }

  /** With shared threads: the endpoint's stage and timers on them, DTLS records inline. */
  private void useSharedThreads(DTLSConnector connector) {
    if (threads == null) {
      return;
    }
    endpoint.setExecutors(threads.protocol(), threads.timers());
    if (connector != null) {
      connector.setExecutor(new InlineExecutor());
    }
  }

  @Override
  public CompletableFuture<Void> send(byte[] payload) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    CoapClient current;
    synchronized (this) {
      current = client;
    }
    if (current == null) {
      done.completeExceptionally(new IllegalStateException("not connected"));
      return done;
    }
    Request post = Request.newPost().setURI(uri);
    post.setConfirmable(true);
    post.getOptions().setContentFormat(contentFormat);
    post.setPayload(payload);
    current.advanced(
        new CoapHandler() {
          @Override
          public void onLoad(CoapResponse response) {
            CoAP.ResponseCode code = response.getCode();
            if (code.codeClass == CoAP.CodeClass.SUCCESS_RESPONSE.value) {
              done.complete(null);
            } else if (code.codeClass == CoAP.CodeClass.ERROR_RESPONSE.value) {
              done.completeExceptionally(
                  new RejectedException(code + " " + response.getResponseText()));
            } else {
              done.completeExceptionally(new IllegalStateException("CoAP " + code));
            }
          }

          @Override
          public void onError() {
            // the client's own reason, e.g. Californium's "No MID available" when the 65,536
            // message ids of one peer are all inside their exchange lifetime (RFC 7252, 4.4)
            Throwable cause = post.getSendError();
            String why =
                cause != null
                    ? cause.getMessage()
                    : post.isTimedOut() ? "timed out" : post.isRejected() ? "reset" : "cancelled";
            done.completeExceptionally(
                new IllegalStateException("CoAP request failed: " + why, cause));
          }
        },
        post);
    return done;
  }

  /**
   * Sends a CoAP ping (an empty confirmable message, answered with a reset) and waits for the
   * answer: over DTLS this makes the handshake now rather than with the first reading.
   *
   * @return whether the node answered within {@code timeoutMs}
   */
  public boolean ping(long timeoutMs) {
    CoapClient current;
    synchronized (this) {
      current = client;
    }
    return current != null && current.ping(timeoutMs);
  }

  @Override
  public synchronized boolean connected() {
    return client != null;
  }

  @Override
  public void onConnectionLost(Runnable action) {
    // UDP has no connection to lose: failed requests are retried after a new handshake.
  }

  @Override
  public synchronized void disconnect() {
    if (client != null) {
      client.shutdown();
      endpoint.destroy();
      client = null;
      endpoint = null;
    }
  }

  @Override
  public void close() {
    disconnect();
  }
}
