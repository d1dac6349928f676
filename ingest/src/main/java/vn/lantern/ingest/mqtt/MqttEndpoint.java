package vn.lantern.ingest.mqtt;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.telemetry.PayloadFormat;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ingest.IngestMeters;
import vn.lantern.ingest.pipeline.IngestRequest;
import vn.lantern.ingest.pipeline.IngestResult;
import vn.lantern.ingest.pipeline.Outcome;
import vn.lantern.ingest.pipeline.Pipeline;
import vn.lantern.ingest.registry.CredentialCheckBusyException;
import vn.lantern.ingest.registry.Device;
import vn.lantern.ingest.tls.ServerTls;

/**
 * MQTT 3.1.1 and 5 telemetry endpoint. It authenticates CONNECT against the registry, maps topics
 * {@code telemetry} and {@code telemetry/{deviceId}} to pipeline requests, and turns each result
 * into the acknowledgement the protocol version allows:
 *
 * <ul>
 *   <li>accepted: PUBACK (QoS 1) / PUBREC (QoS 2), sent only once the readings are durable;
 *   <li>refused on MQTT 5: PUBACK with a reason code (0x87, 0x90, 0x97, 0x99, 0x80);
 *   <li>refused on MQTT 3.1.1, which has no negative acknowledgement: acknowledged and dropped
 *       (counted), as its §3.3.5 allows, so a message that can never be stored is not redelivered
 *       forever;
 *   <li>node saturated (write buffer full): PUBACK 0x97 (quota exceeded) on MQTT 5; on MQTT 3.1.1
 *       the connection is closed at once, so the client redelivers its unacknowledged messages
 *       after reconnecting.
 * </ul>
 *
 * While InfluxDB is down or refuses the node's credentials, readings wait in the write buffer
 * unacknowledged until they are durable.
 *
 * <p>Acknowledgements leave in the order the publishes arrived, as MQTT §4.6 requires, even though
 * refusals are decided before earlier messages become durable; those one task completes share one
 * flush ({@link AckFlushing}). Every write to a connection happens on its event loop, so it writes
 * straight to the channel and holds no outbound queue while idle ({@link DirectWrites}).
 */
public final class MqttEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(MqttEndpoint.class);
  private static final String PROTOCOL = "mqtt";
  private static final String OWN_TOPIC = "telemetry";
  private static final String DEVICE_TOPIC_PREFIX = "telemetry/";
  private static final int MQTT_5 = 5;
  private static final long SESSION_SWEEP_MS = 60_000;

  private final Vertx vertx;
  private final Pipeline pipeline;
  private final String host;
  private final int port;
  private final ServerTls tls;
  private final int tlsPort;
  private final MqttSessions sessions = new MqttSessions();
  private final AtomicInteger connections = new AtomicInteger();
  private final ConnectionLimits limits;
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private final PersistentSessions persistentSessions = new PersistentSessions();
  private long sessionSweep = -1;
  private int boundTlsPort = -1;

  /** A plain MQTT endpoint only. */
  public MqttEndpoint(
      Vertx vertx, Pipeline pipeline, String host, int port, MeterRegistry metrics) {
    this(vertx, pipeline, host, port, null, -1, IngestConfig.defaults().connections(), metrics);
  }

  /**
   * An endpoint with a plain listener on {@code port} (none when -1) and, when {@code tls} is
   * given, an MQTT-over-TLS listener on {@code tlsPort} that also accepts device certificates.
   */
  public MqttEndpoint(
      Vertx vertx,
      Pipeline pipeline,
      String host,
      int port,
      ServerTls tls,
      int tlsPort,
      IngestConfig.Connections limits,
      MeterRegistry metrics) {
    this.vertx = vertx;
    this.limits =
        new ConnectionLimits(limits.maxMqttPerAddress(), limits.maxMqttPerDevice(), metrics);
    this.pipeline = pipeline;
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.tlsPort = tlsPort;
    Gauge.builder(IngestMeters.CONNECTIONS, connections, AtomicInteger::get)
        .tag("protocol", PROTOCOL)
        .description("open device connections")
        .register(metrics);
    Gauge.builder(IngestMeters.MQTT_SESSIONS, persistentSessions, PersistentSessions::size)
        .description("persistent MQTT sessions kept (connected or within their expiry)")
        .register(metrics);
  }

  /**
   * Starts listening. The future holds the bound plain port (useful when the configured port is 0),
   * or -1 when the plain listener is off; {@link #tlsPort()} gives the TLS one.
   */
  public Future<Integer> start() {
    Future<Integer> plain = port < 0 ? Future.succeededFuture(-1) : listen(port, false);
    if (tls == null) {
      return plain;
    }
    return plain.compose(
        plainPort ->
            listen(tlsPort, true)
                .map(
                    bound -> {
                      boundTlsPort = bound;
                      return plainPort;
                    }));
  }

  /** The bound MQTT-over-TLS port, or -1 when there is no TLS listener. */
  public int tlsPort() {
    return boundTlsPort;
  }

  /**
   * Closes every open connection of a device or gateway, e.g. once its credentials are revoked.
   *
   * @return how many were open
   */
  public int closeSessions(String deviceId) {
    int closed = sessions.close(deviceId);
    if (closed > 0) {
      LOG.info("event=mqtt_sessions_revoked device={} connections={}", deviceId, closed);
    }
    return closed;
  }

  /**
   * Listens with one server per core, each on its own event loop, sharing the port (Vert.x balances
   * new connections across them): the first server binds it and the others join that port.
   */
  private Future<Integer> listen(int configuredPort, boolean secure) {
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    // Vert.x shares a port between servers on different event loops by the port they ask for; a
    // negative port asks for one random port shared by every server asking for it.
    int listenPort = configuredPort == 0 ? -1 : configuredPort;
    List<ServerVerticle> servers = new ArrayList<>();
    Future<Void> all = Future.succeededFuture();
    for (int i = 0; i < instances; i++) {
      ServerVerticle server = new ServerVerticle(listenPort, secure);
      servers.add(server);
      all = all.compose(v -> vertx.deployVerticle(server).map(deployments::add)).mapEmpty();
    }
    sessionSweep =
        vertx.setPeriodic(
            SESSION_SWEEP_MS, id -> persistentSessions.removeExpired(System.currentTimeMillis()));
    return all.map(
        v -> {
          int boundPort = servers.get(0).server.actualPort();
          LOG.info(
              "event=mqtt_listening host={} port={} tls={} event_loops={}",
              host,
              boundPort,
              secure,
              instances);
          return boundPort;
        });
  }

  /** Stops listening and closes client connections. */
  public Future<Void> stop() {
    vertx.cancelTimer(sessionSweep);
    Future<Void> all = Future.succeededFuture();
    for (String id : deployments) {
      all = all.eventually(() -> vertx.undeploy(id));
    }
    deployments.clear();
    return all;
  }

  /** One MQTT server on its own event loop; all of them share the endpoint's handlers. */
  private final class ServerVerticle extends VerticleBase {
    private final int listenPort;
    private final boolean secure;
    private MqttServer server;

    ServerVerticle(int listenPort, boolean secure) {
      this.listenPort = listenPort;
      this.secure = secure;
    }

    @Override
    public Future<?> start() {
      // Frames a little over the payload limit still decode, so an oversized payload gets a clear
      // reason code; a frame far beyond it is abuse and closes the connection.
      int maxMessageSize = pipeline.limits().maxPayloadBytes() * 2 + 1024;
      MqttServerOptions options =
          new MqttServerOptions()
              .setHost(host)
              .setPort(listenPort)
              .setMaxMessageSize(maxMessageSize)
              .setTimeoutOnConnect(10);
      if (secure) {
        tls.deviceServer(options, PROTOCOL);
      }
      server = MqttServer.create(vertx, options).endpointHandler(MqttEndpoint.this::onConnect);
      return server.listen();
    }

    @Override
    public Future<?> stop() {
      return server.close();
    }
  }

  private void onConnect(io.vertx.mqtt.MqttEndpoint client) {
    Context context = vertx.getOrCreateContext();
    DirectWrites.install(client);
    boolean v5 = client.protocolVersion() == MQTT_5;
    String address = client.remoteAddress().host();
    MqttAuth auth = client.auth();
    String username = auth == null ? null : auth.getUsername();
    if (!limits.openFromAddress(address, username)) {
      reject(client, quotaExceeded(v5));
      return;
    }
    String password = auth == null ? null : auth.getPassword();
    // Vert.x passes credentials only when both username and password were sent, so a username
    // alone next to a certificate cannot be checked; a pair naming another device is refused.
    X509Certificate[] certificates = clientCertificates(client);
    Future<Optional<Device>> authenticated =
        certificates == null
            ? pipeline.authenticate(PROTOCOL, username, password, address)
            : Future.succeededFuture(
                tls.devices().authenticate(PROTOCOL, certificates, username, password));
    authenticated.onComplete(
        result ->
            DirectWrites.onEventLoop(
                context, () -> onCredentialsChecked(client, context, v5, address, result)));
  }

  private void onCredentialsChecked(
      io.vertx.mqtt.MqttEndpoint client,
      Context context,
      boolean v5,
      String address,
      AsyncResult<Optional<Device>> result) {
    if (result.cause() instanceof CredentialCheckBusyException) {
      limits.closeFromAddress(address);
      reject(client, serverBusy(v5));
      return;
    }
    Optional<Device> device = result.succeeded() ? result.result() : Optional.empty();
    if (device.isEmpty()) {
      limits.closeFromAddress(address);
      reject(
          client,
          v5
              ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
              : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
      return;
    }
    if (!limits.openForDevice(device.get().id(), address)) {
      limits.closeFromAddress(address);
      reject(client, quotaExceeded(v5));
      return;
    }
    accept(client, context, device.get(), v5, address);
  }

  /** The client's certificate chain when it connected over TLS with one, else null. */
  private static X509Certificate[] clientCertificates(io.vertx.mqtt.MqttEndpoint client) {
    if (!client.isSsl() || client.sslSession() == null) {
      return null;
    }
    try {
      Certificate[] chain = client.sslSession().getPeerCertificates();
      return java.util.Arrays.stream(chain)
          .map(X509Certificate.class::cast)
          .toArray(X509Certificate[]::new);
    } catch (SSLPeerUnverifiedException noCertificate) {
      return null;
    }
  }

  /** The credentials were not checked (hashing queue full): the device should retry. */
  private static MqttConnectReturnCode serverBusy(boolean v5) {
    return v5
        ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY
        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
  }

  private static MqttConnectReturnCode quotaExceeded(boolean v5) {
    return v5
        ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
  }

  private void reject(io.vertx.mqtt.MqttEndpoint client, MqttConnectReturnCode code) {
    try {
      client.reject(code);
    } catch (IllegalStateException closedMeanwhile) {
      // the client went away while its credentials were checked: nothing to answer
    }
  }

  private void accept(
      io.vertx.mqtt.MqttEndpoint client,
      Context context,
      Device device,
      boolean v5,
      String address) {
    long requestedExpiry = requestedSessionExpiry(client, v5);
    PersistentSessions.Opened opened =
        persistentSessions.open(
            device.id(),
            client.clientIdentifier(),
            client.isCleanSession(),
            requestedExpiry,
            System.currentTimeMillis());
    Session session = new Session(client, context, device, v5, opened.session());
    client.publishAutoAck(false);
    client.publishHandler(session::onPublish);
    client.publishReleaseHandler(client::publishComplete);
    client.subscribeHandler(
        subscribe ->
            client.subscribeAcknowledge(
                subscribe.messageId(),
                Collections.nCopies(
                    subscribe.topicSubscriptions().size(),
                    v5
                        ? MqttSubAckReasonCode.NOT_AUTHORIZED
                        : MqttSubAckReasonCode.UNSPECIFIED_ERROR),
                MqttProperties.NO_PROPERTIES));
    client.closeHandler(
        v -> {
          if (opened.session() != null) {
            opened.session().disconnected(System.currentTimeMillis());
          }
          sessions.remove(device.id(), client);
          connections.decrementAndGet();
          limits.closeFromAddress(address);
          limits.closeForDevice(device.id());
          LOG.debug("event=mqtt_disconnected device={}", device.id());
        });
    client.exceptionHandler(
        e ->
            LOG.debug(
                "event=mqtt_connection_error device={} error=\"{}\"", device.id(), e.getMessage()));
    MqttProperties connack = new MqttProperties();
    if (v5 && requestedExpiry > PersistentSessions.MAX_EXPIRY_SECONDS) {
      connack.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.SESSION_EXPIRY_INTERVAL, (int) PersistentSessions.MAX_EXPIRY_SECONDS));
    }
    try {
      client.accept(opened.present(), connack);
    } catch (IllegalStateException closedMeanwhile) {
      limits.closeFromAddress(address);
      limits.closeForDevice(device.id());
      return;
    }
    connections.incrementAndGet();
    sessions.add(device.id(), client, context);
    LOG.debug("event=mqtt_connected device={} version={}", device.id(), client.protocolVersion());
  }

  /**
   * How long the client asks its session to outlive the connection, in seconds: MQTT 5's Session
   * Expiry Interval (0 when absent; 0xFFFFFFFF, "never", reads as a negative int), MQTT 3.1.1's
   * cleanSession = 0 (never). Capped by {@link PersistentSessions}.
   */
  private static long requestedSessionExpiry(io.vertx.mqtt.MqttEndpoint client, boolean v5) {
    if (!v5) {
      return client.isCleanSession() ? 0 : Long.MAX_VALUE;
    }
    MqttProperties.MqttProperty<?> expiry =
        client.connectProperties() == null
            ? null
            : client.connectProperties().getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL);
    return expiry == null ? 0 : Integer.toUnsignedLong((Integer) expiry.value());
  }

  /**
   * One connection's state: who it is, its persistent session if it asked for one, and its
   * acknowledgements waiting to go out in order.
   */
  private final class Session {
    private final io.vertx.mqtt.MqttEndpoint client;
    private final Context context;
    private final Device device;
    private final boolean v5;
    private final PersistentSessions.Session persistent;
    // Made, and flush consolidation and quick TCP acknowledgements installed, on the first publish
    // that needs an acknowledgement: idle connections pay for none of them.
    private ArrayDeque<PendingAck> acks;
    // Null without epoll, or before the first such publish.
    private QuickAcks quickAcks;

    Session(
        io.vertx.mqtt.MqttEndpoint client,
        Context context,
        Device device,
        boolean v5,
        PersistentSessions.Session persistent) {
      this.client = client;
      this.context = context;
      this.device = device;
      this.v5 = v5;
      this.persistent = persistent;
    }

    void onPublish(MqttPublishMessage message) {
      long receivedAtNanos = System.nanoTime();
      long now = System.currentTimeMillis();
      // A retransmission keeps its first arrival's time, so readings without a time of their own
      // overwrite the point they already made instead of adding a second one.
      long receivedAt =
          persistent == null || message.qosLevel() == MqttQoS.AT_MOST_ONCE
              ? now
              : persistent.arrivalTime(message.messageId(), message.isDup(), now);
      PendingAck ack =
          message.qosLevel() == MqttQoS.AT_MOST_ONCE
              ? null
              : new PendingAck(message.messageId(), message.qosLevel());
      if (ack != null) {
        if (acks == null) {
          acks = new ArrayDeque<>();
          AckFlushing.install(client);
          quickAcks = QuickAcks.install(client);
        }
        acks.addLast(ack);
        if (quickAcks != null) {
          quickAcks.publishRead();
        }
      }
      String topic = message.topicName();
      String target;
      if (OWN_TOPIC.equals(topic)) {
        target = null;
      } else if (topic.startsWith(DEVICE_TOPIC_PREFIX)
          && topic.length() > DEVICE_TOPIC_PREFIX.length()) {
        target = topic.substring(DEVICE_TOPIC_PREFIX.length());
      } else {
        complete(
            ack,
            pipeline.refuse(
                PROTOCOL, Outcome.INVALID_TOPIC, "publish to telemetry or telemetry/{deviceId}"));
        return;
      }
      byte[] payload = message.payload().getBytes();
      pipeline
          .ingest(
              new IngestRequest(
                  PROTOCOL,
                  device,
                  target,
                  payload,
                  contentFormat(message),
                  receivedAt,
                  receivedAtNanos))
          .onSuccess(result -> complete(ack, result));
    }

    private PayloadFormat contentFormat(MqttPublishMessage message) {
      if (!v5) {
        return null;
      }
      MqttProperties.MqttProperty<?> contentType =
          message.properties().getProperty(MqttProperties.CONTENT_TYPE);
      return contentType == null
          ? null
          : PayloadFormat.fromContentType(String.valueOf(contentType.value())).orElse(null);
    }

    private void complete(PendingAck ack, IngestResult result) {
      if (ack != null) {
        // The order of acks and the connection's direct writes both need its event loop.
        DirectWrites.onEventLoop(context, () -> completeOnEventLoop(ack, result));
      }
    }

    private void completeOnEventLoop(PendingAck ack, IngestResult result) {
      if (!v5 && result.outcome() == Outcome.UNAVAILABLE) {
        // MQTT 3.1.1 has no negative acknowledgement: dropping the connection is the only signal
        // that makes the client redeliver what was not acknowledged.
        LOG.info("event=mqtt_disconnected_saturated device={}", device.id());
        client.close();
        return;
      }
      ack.result = result;
      while (!acks.isEmpty() && acks.peekFirst().result != null) {
        send(acks.pollFirst());
      }
    }

    private void send(PendingAck ack) {
      if (!client.isConnected()) {
        return;
      }
      if (quickAcks != null) {
        quickAcks.acknowledged();
      }
      Outcome outcome = ack.result.outcome();
      if (ack.qos == MqttQoS.EXACTLY_ONCE) {
        if (v5 && outcome != Outcome.ACCEPTED) {
          client.publishReceived(
              ack.messageId,
              MqttPubRecReasonCode.valueOf(pubAckCode(outcome).value()),
              MqttProperties.NO_PROPERTIES);
        } else {
          client.publishReceived(ack.messageId);
        }
      } else if (v5) {
        client.publishAcknowledge(ack.messageId, pubAckCode(outcome), MqttProperties.NO_PROPERTIES);
      } else {
        client.publishAcknowledge(ack.messageId);
      }
    }
  }

  private static MqttPubAckReasonCode pubAckCode(Outcome outcome) {
    return switch (outcome) {
      case ACCEPTED -> MqttPubAckReasonCode.SUCCESS;
      case NOT_AUTHORIZED -> MqttPubAckReasonCode.NOT_AUTHORIZED;
      case INVALID_TOPIC -> MqttPubAckReasonCode.TOPIC_NAME_INVALID;
      case TOO_LARGE, UNAVAILABLE -> MqttPubAckReasonCode.QUOTA_EXCEEDED;
      case UNSUPPORTED_FORMAT, INVALID_PAYLOAD -> MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID;
      case STORAGE_REJECTED -> MqttPubAckReasonCode.UNSPECIFIED_ERROR;
    };
  }

  private static final class PendingAck {
    final int messageId;
    final MqttQoS qos;
    IngestResult result;

    PendingAck(int messageId, MqttQoS qos) {
      this.messageId = messageId;
      this.qos = qos;
    }
  }
}
