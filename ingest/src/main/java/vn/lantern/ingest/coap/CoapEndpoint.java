package vn.lantern.ingest.coap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.core.network.InMemoryMessageExchangeStore;
import org.eclipse.californium.core.network.RandomTokenGenerator;
import org.eclipse.californium.core.network.TokenGenerator;
import org.eclipse.californium.core.network.deduplication.DeduplicatorFactory;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.auth.X509CertPath;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ingest.IngestMeters;
import vn.lantern.ingest.pipeline.Pipeline;
import vn.lantern.ingest.registry.DeviceRegistry;
import vn.lantern.ingest.tls.ServerTls;

/**
 * CoAP telemetry endpoint on Eclipse Californium: DTLS with per-device pre-shared keys, and with
 * device certificates when the node has a server certificate ({@link DtlsSettings}), on the secure
 * port, and plain UDP only when explicitly enabled for lab use. Block-wise transfer (Block1)
 * reassembles batches larger than a datagram; the deduplicator answers retransmissions (and only
 * they, {@link RetransmissionDeduplicator}) from its exchange store. Requests are translated by
 * {@link CoapIngest}.
 */
public final class CoapEndpoint {
  static final String PROTOCOL = "coap";

  /** How many of a peer's latest requests the deduplicator remembers. */
  static final int DEDUPLICATED_PER_PEER = 64;

  /** How long the deduplicator remembers a request: RFC 7252's MAX_TRANSMIT_SPAN plus 15 s. */
  static final long DEDUPLICATION_LIFETIME_S = 60;

  /**
   * Receive buffer of both sockets. The kernel's default (208 KiB) holds only about a hundred
   * datagrams, as each small one takes about 2 KiB of buffer space: a burst of a few hundred
   * requests overflowed it while the one DTLS receiver thread was busy, and each dropped request
   * cost its device a 2-3 s retransmission (docs/benchmarks.md). Linux caps it at {@code
   * net.core.rmem_max}.
   */
  static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(CoapEndpoint.class);

  static {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
  }

  private final Vertx vertx;
  private final Pipeline pipeline;
  private final DeviceRegistry registry;
  private final IngestConfig.Coap plain;
  private final IngestConfig.Coaps secure;
  private final ServerTls tls;
  private volatile String lenders;
  private final Counter deadlineMisses;
  private final Counter reusedMessageIds;
  private CoapServer server;
  private Endpoint secureEndpoint;
  private Endpoint plainEndpoint;
  private volatile DTLSConnector dtlsConnector;

  public CoapEndpoint(
      Vertx vertx,
      Pipeline pipeline,
      DeviceRegistry registry,
      IngestConfig.Coap plain,
      IngestConfig.Coaps secure,
      ServerTls tls,
      MeterRegistry metrics) {
    this.vertx = vertx;
    this.pipeline = pipeline;
    this.registry = registry;
    this.plain = plain;
    this.secure = secure;
    this.tls = tls;
    this.deadlineMisses =
        Counter.builder(IngestMeters.RESPONSE_DEADLINE_MISSED)
            .description("requests answered 'retry later' because storage did not confirm in time")
            .tag("protocol", PROTOCOL)
            .register(metrics);
    this.reusedMessageIds =
        Counter.builder(IngestMeters.COAP_REUSED_MESSAGE_IDS)
            .description("requests reusing a remembered message id with new content, ingested")
            .register(metrics);
  }

  /**
   * Binds the endpoints. Requests are spread over one event loop per core (a peer's requests always
   * on the same one), so CoAP's pipeline work is not bound to a single thread.
   */
  public Future<Void> start() {
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    List<CoapIngest> lanes = new CopyOnWriteArrayList<>();
    return vertx
        .deployVerticle(
            () -> new EventLoopLender(lanes), new DeploymentOptions().setInstances(loops))
        .compose(
            id -> {
              lenders = id;
              return bind(List.copyOf(lanes));
            });
  }

  /** Lends its event loop to one {@link CoapIngest}: one instance per core. */
  private final class EventLoopLender extends VerticleBase {
    private final List<CoapIngest> lanes;

    EventLoopLender(List<CoapIngest> lanes) {
      this.lanes = lanes;
    }

    @Override
    public Future<?> start() {
      CoapIngest lane =
          new CoapIngest(context, pipeline, registry, plain.responseDeadlineMs(), deadlineMisses);
      // a timer of this verticle: cancelled when the endpoint stops
      vertx.setPeriodic(CoapIngest.SWEEP_MS, id -> lane.sweep(System.nanoTime()));
      lanes.add(lane);
      return Future.succeededFuture();
    }
  }

  private Future<Void> bind(List<CoapIngest> lanes) {
    return vertx.executeBlocking(
        () -> {
          Configuration config = configuration();
          CoapServer coap = new CoapServer(config);
          DtlsConnectorConfig dtls =
              DtlsSettings.build(
                  config,
                  new InetSocketAddress(secure.host(), secure.port()),
                  secure.cipherSuites(),
                  registry,
                  pipeline,
                  tls);
          DTLSConnector connector = new DTLSConnector(dtls);
          Endpoint dtlsEndpoint = endpointBuilder(config, "coaps").setConnector(connector).build();
          coap.addEndpoint(dtlsEndpoint);
          Endpoint udpEndpoint = null;
          if (plain.insecure()) {
            udpEndpoint =
                endpointBuilder(config, "coap")
                    .setInetSocketAddress(new InetSocketAddress(plain.host(), plain.port()))
                    .build();
            coap.addEndpoint(udpEndpoint);
          }
          coap.add(new TelemetryResource(lanes));
          try {
            coap.start();
          } catch (IllegalStateException e) {
            coap.destroy();
            throw e;
          }
          server = coap;
          secureEndpoint = dtlsEndpoint;
          dtlsConnector = connector;
          plainEndpoint = udpEndpoint;
          LOG.info(
              "event=coap_listening host={} securePort={} insecurePort={}",
              secure.host(),
              securePort(),
              udpEndpoint == null ? "off" : String.valueOf(insecurePort()));
          if (udpEndpoint != null) {
            LOG.warn(
                "event=coap_insecure port={} reason=\"plain UDP enabled"
                    + " (LANTERN_COAP_INSECURE): credentials travel in clear text\"",
                insecurePort());
          }
          return null;
        });
  }

  /**
   * An endpoint whose deduplicator answers from memory only retransmissions ({@link
   * RetransmissionDeduplicator}).
   */
  private org.eclipse.californium.core.network.CoapEndpoint.Builder endpointBuilder(
      Configuration config, String tag) {
    TokenGenerator tokens = new RandomTokenGenerator(config);
    InMemoryMessageExchangeStore exchanges = new InMemoryMessageExchangeStore(tag, config, tokens);
    exchanges.setDeduplicator(
        new RetransmissionDeduplicator(
            DeduplicatorFactory.getDeduplicatorFactory().createDeduplicator(config),
            reusedMessageIds));
    return new org.eclipse.californium.core.network.CoapEndpoint.Builder()
        .setConfiguration(config)
        .setLoggingTag(tag)
        .setTokenGenerator(tokens)
        .setMessageExchangeStore(exchanges);
  }

  private Configuration configuration() {
    Configuration config = Configuration.createStandardWithoutFile();
    // A little over the payload limit still reassembles, so an oversized batch gets the
    // pipeline's counted 4.13; beyond that Californium refuses it itself.
    config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, pipeline.limits().maxPayloadBytes() * 2 + 1024);
    // The deduplicator keeps every answered exchange (request, response, context: about 2.5 KiB)
    // to replay its response to a retransmission. Californium's default keeps each for 247 s,
    // which at a few thousand requests per second fills the heap within a minute and makes every
    // young GC copy them. A peer's last DEDUPLICATED_PER_PEER requests for DEDUPLICATION_LIFETIME
    // still cover a client's whole retransmission span (45 s with the RFC 7252 defaults); an
    // older copy is ingested again, which overwrites the same points unless a reading has no ts.
    config.set(CoapConfig.DEDUPLICATOR, CoapConfig.DEDUPLICATOR_PEERS_MARK_AND_SWEEP);
    config.set(CoapConfig.PEERS_MARK_AND_SWEEP_MESSAGES, DEDUPLICATED_PER_PEER);
    config.set(CoapConfig.EXCHANGE_LIFETIME, DEDUPLICATION_LIFETIME_S, TimeUnit.SECONDS);
    config.set(DtlsConfig.DTLS_RECEIVE_BUFFER_SIZE, RECEIVE_BUFFER_BYTES);
    config.set(UdpConfig.UDP_RECEIVE_BUFFER_SIZE, RECEIVE_BUFFER_BYTES);
    return config;
  }

  /**
   * Drops the DTLS sessions of a device or gateway (by PSK identity or certificate CN), e.g. once
   * its credentials are revoked: its next request needs a new handshake with a valid credential.
   */
  public void dropSessions(String deviceId) {
    DTLSConnector connector = dtlsConnector;
    if (connector == null) {
      return;
    }
    connector.startTerminateConnectionsForPrincipal(
        (org.eclipse.californium.elements.util.Filter<java.security.Principal>)
            principal ->
                (principal instanceof PreSharedKeyIdentity psk
                        && deviceId.equals(psk.getIdentity()))
                    || (principal instanceof X509CertPath path && deviceId.equals(path.getCN())));
    LOG.info("event=dtls_sessions_revoked device={}", deviceId);
  }

  /** The bound DTLS port. */
  public int securePort() {
    return secureEndpoint.getAddress().getPort();
  }

  /** The bound plain-UDP port, or -1 when plain UDP is off. */
  public int insecurePort() {
    return plainEndpoint == null ? -1 : plainEndpoint.getAddress().getPort();
  }

  /** The endpoint's entry in {@code /health}. */
  public JsonObject health() {
    JsonObject json = new JsonObject().put("securePort", securePort());
    json.put("insecure", plainEndpoint != null);
    if (plainEndpoint != null) {
      json.put("insecurePort", insecurePort());
    }
    return json;
  }

  /** Stops and releases both endpoints and Californium's threads. */
  public Future<Void> stop() {
    CoapServer coap = server;
    Future<Void> destroyed =
        coap == null
            ? Future.succeededFuture()
            : vertx.executeBlocking(
                () -> {
                  coap.destroy();
                  return null;
                });
    return lenders == null ? destroyed : destroyed.eventually(() -> vertx.undeploy(lenders));
  }
}
