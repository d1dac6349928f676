package vn.lantern.ingest.coap;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.security.Principal;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.OptionSet;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.auth.X509CertPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.telemetry.PayloadFormat;
import vn.lantern.ingest.pipeline.IngestRequest;
import vn.lantern.ingest.pipeline.IngestResult;
import vn.lantern.ingest.pipeline.Outcome;
import vn.lantern.ingest.pipeline.Pipeline;
import vn.lantern.ingest.registry.CredentialCheckBusyException;
import vn.lantern.ingest.registry.Device;
import vn.lantern.ingest.registry.DeviceRegistry;

/**
 * Translates CoAP telemetry POSTs into pipeline requests and results into responses, on one Vert.x
 * event loop: the endpoint has one per core and sends each peer's requests to the same one, so a
 * request's reply, sweep and pipeline callback never race.
 *
 * <ul>
 *   <li>Identity: the DTLS PSK identity or the CN of the device certificate checked in the DTLS
 *       handshake; on plain UDP, {@code ?d=<id>&s=<secret>} checked like MQTT credentials.
 *   <li>2.04 only once the readings are durable. A confirmable request is answered in the ACK when
 *       that happens within {@link #ACCEPT_AFTER_MS} (RFC 7252 §5.2.1), otherwise it is
 *       acknowledged empty then and answered separately, so the client does not retransmit.
 *   <li>Not durable within the response deadline (InfluxDB unreachable): 5.03 with Max-Age; the
 *       readings stay queued and the device's retry overwrites them idempotently.
 *   <li>A retransmitted request (same message id) never gets here: Californium's deduplicator
 *       answers it from the exchange store.
 * </ul>
 *
 * Both the empty ACK and the deadline come from one sweep every {@link #SWEEP_MS} over the replies
 * still waiting, oldest first, rather than from two timers per request: at thousands of requests
 * per second, setting and cancelling those timers was a measurable share of the event loop.
 */
final class CoapIngest {
  private static final Logger LOG = LoggerFactory.getLogger(CoapIngest.class);

  /** Below the 2 s ACK_TIMEOUT (RFC 7252 §4.8), so the client does not retransmit meanwhile. */
  static final long ACCEPT_AFTER_MS = 1000;

  /** How often waiting replies are checked; the empty ACK goes out at most this much later. */
  static final long SWEEP_MS = 100;

  private final Context context;
  private final Pipeline pipeline;
  private final DeviceRegistry registry;
  private final long responseDeadlineNanos;
  private final Counter deadlineMisses;
  // Replies in arrival order; each leaves its queue once sent, accepted or past the deadline.
  private final ArrayDeque<Reply> awaitingAccept = new ArrayDeque<>();
  private final ArrayDeque<Reply> awaitingDeadline = new ArrayDeque<>();

  /** Serves requests on {@code context}; its owner calls {@link #sweep} every {@link #SWEEP_MS}. */
  CoapIngest(
      Context context,
      Pipeline pipeline,
      DeviceRegistry registry,
      long responseDeadlineMs,
      Counter deadlineMisses) {
    this.context = context;
    this.pipeline = pipeline;
    this.registry = registry;
    this.responseDeadlineNanos = TimeUnit.MILLISECONDS.toNanos(responseDeadlineMs);
    this.deadlineMisses = deadlineMisses;
  }

  /** Hands a POST from Californium's thread to this event loop. */
  void submit(CoapExchange exchange, String target) {
    context.runOnContext(v -> post(exchange, target));
  }

  /**
   * Handles one POST on this event loop.
   *
   * @param target the device id from {@code /telemetry/{deviceId}}, or {@code null} for {@code
   *     /telemetry}
   */
  void post(CoapExchange exchange, String target) {
    long receivedAt = System.currentTimeMillis();
    Reply reply = new Reply(exchange, System.nanoTime());
    client(exchange)
        .onComplete(
            auth -> {
              if (auth.cause() instanceof CredentialCheckBusyException) {
                reply.send(CoapResponses.serviceUnavailable("credential checks are busy"));
                return;
              }
              Optional<Device> device = auth.succeeded() ? auth.result() : Optional.empty();
              if (device.isEmpty()) {
                reply.send(CoapResponses.unauthorized("unknown device or wrong credentials"));
              } else if (target != null && target.isEmpty()) {
                reply.send(
                    pipeline.refuse(
                        CoapEndpoint.PROTOCOL,
                        Outcome.INVALID_TOPIC,
                        "post to /telemetry or /telemetry/{deviceId}"));
              } else {
                ingest(reply, device.get(), target, receivedAt);
              }
            });
  }

  private void ingest(Reply reply, Device device, String target, long receivedAt) {
    OptionSet options = reply.exchange.getRequestOptions();
    PayloadFormat format = null;
    if (options.hasContentFormat()) {
      int contentFormat = options.getContentFormat();
      format = PayloadFormat.fromCoapContentFormat(contentFormat).orElse(null);
      if (format == null) {
        reply.send(
            pipeline.refuse(
                CoapEndpoint.PROTOCOL,
                Outcome.UNSUPPORTED_FORMAT,
                "content format " + contentFormat + " is not 50, 110 or 112"));
        return;
      }
    }
    reply.awaitDurable();
    pipeline
        .ingest(
            new IngestRequest(
                CoapEndpoint.PROTOCOL,
                device,
                target,
                reply.exchange.getRequestPayload(),
                format,
                receivedAt,
                reply.receivedNanos))
        .onSuccess(reply::send);
  }

  /** The authenticated client: from the DTLS identity, or from the URI query on plain UDP. */
  private Future<Optional<Device>> client(CoapExchange exchange) {
    Request request = exchange.advanced().getRequest();
    Principal peer = request.getSourceContext().getPeerIdentity();
    String dtlsIdentity =
        peer instanceof PreSharedKeyIdentity psk
            ? psk.getIdentity()
            : peer instanceof X509CertPath certificate ? certificate.getCN() : null;
    if (dtlsIdentity != null) {
      Optional<Device> device = registry.device(dtlsIdentity);
      if (device.isEmpty()) {
        // deleted since its DTLS session was established
        pipeline.credentialsRefused(CoapEndpoint.PROTOCOL, dtlsIdentity);
      }
      return Future.succeededFuture(device);
    }
    // over DTLS without an identity: never from the query (Endpoint.getUri() would build a URI
    // per request just to tell the endpoints apart)
    if (request.getSourceContext() instanceof DtlsEndpointContext) {
      return Future.succeededFuture(Optional.empty());
    }
    String id = null;
    String secret = null;
    for (String parameter : exchange.getRequestOptions().getUriQuery()) {
      if (parameter.startsWith("d=")) {
        id = parameter.substring(2);
      } else if (parameter.startsWith("s=")) {
        secret = parameter.substring(2);
      }
    }
    return pipeline.authenticate(
        CoapEndpoint.PROTOCOL,
        id,
        secret,
        request.getSourceContext().getPeerAddress().getAddress().getHostAddress());
  }

  /** Sends the empty ACKs and the 5.03s that are due, and forgets the replies already sent. */
  void sweep(long nowNanos) {
    long acceptBefore = nowNanos - TimeUnit.MILLISECONDS.toNanos(ACCEPT_AFTER_MS);
    Reply reply;
    while ((reply = awaitingAccept.peekFirst()) != null
        && (reply.sent || reply.receivedNanos - acceptBefore <= 0)) {
      awaitingAccept.pollFirst();
      if (!reply.sent) {
        reply.exchange.accept();
      }
    }
    long deadlineBefore = nowNanos - responseDeadlineNanos;
    while ((reply = awaitingDeadline.peekFirst()) != null
        && (reply.sent || reply.receivedNanos - deadlineBefore <= 0)) {
      awaitingDeadline.pollFirst();
      if (!reply.sent) {
        deadlineMisses.increment();
        LOG.debug(
            "event=coap_response_deadline source={}", reply.exchange.getSourceSocketAddress());
        reply.send(CoapResponses.serviceUnavailable("storage is not answering, retry later"));
      }
    }
  }

  /** The one response an exchange gets, whichever of result, ACK delay or deadline comes first. */
  private final class Reply {
    private final CoapExchange exchange;
    private final long receivedNanos;
    private boolean sent;

    Reply(CoapExchange exchange, long receivedNanos) {
      this.exchange = exchange;
      this.receivedNanos = receivedNanos;
    }

    void awaitDurable() {
      if (exchange.advanced().getRequest().isConfirmable()) {
        awaitingAccept.addLast(this);
      }
      awaitingDeadline.addLast(this);
    }

    void send(IngestResult result) {
      send(CoapResponses.of(result, pipeline.limits().maxPayloadBytes()));
    }

    void send(Response response) {
      if (sent) {
        return;
      }
      sent = true;
      exchange.respond(response);
    }
  }
}
