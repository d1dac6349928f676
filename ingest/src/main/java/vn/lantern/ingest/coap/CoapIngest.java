package vn.lantern.ingest.coap;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.Principal;
import java.util.Optional;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.OptionSet;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
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
 * Translates one CoAP telemetry POST into a pipeline request and the result into the response. Each
 * request runs on one Vert.x context (its peer's), so its timers and its pipeline callback never
 * race.
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
 */
final class CoapIngest {
  private static final Logger LOG = LoggerFactory.getLogger(CoapIngest.class);

  /** Below the 2 s ACK_TIMEOUT (RFC 7252 §4.8), so the client does not retransmit meanwhile. */
  static final long ACCEPT_AFTER_MS = 1000;

  private final Vertx vertx;
  private final Pipeline pipeline;
  private final DeviceRegistry registry;
  private final long responseDeadlineMs;
  private final Counter deadlineMisses;

  CoapIngest(
      Vertx vertx,
      Pipeline pipeline,
      DeviceRegistry registry,
      long responseDeadlineMs,
      Counter deadlineMisses) {
    this.vertx = vertx;
    this.pipeline = pipeline;
    this.registry = registry;
    this.responseDeadlineMs = responseDeadlineMs;
    this.deadlineMisses = deadlineMisses;
  }

  /**
   * Handles one POST on the Vert.x context.
   *
   * @param target the device id from {@code /telemetry/{deviceId}}, or {@code null} for {@code
   *     /telemetry}
   */
  void post(CoapExchange exchange, String target) {
    long receivedAt = System.currentTimeMillis();
    Reply reply = new Reply(exchange);
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
                receivedAt))
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
    if (!CoAP.COAP_URI_SCHEME.equals(exchange.advanced().getEndpoint().getUri().getScheme())) {
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

  /** The one response an exchange gets, whichever of result, ACK delay or deadline comes first. */
  private final class Reply {
    private final CoapExchange exchange;
    private boolean sent;
    private long acceptTimer = -1;
    private long deadlineTimer = -1;

    Reply(CoapExchange exchange) {
      this.exchange = exchange;
    }

    void awaitDurable() {
      if (exchange.advanced().getRequest().isConfirmable()) {
        acceptTimer = vertx.setTimer(ACCEPT_AFTER_MS, id -> exchange.accept());
      }
      deadlineTimer =
          vertx.setTimer(
              responseDeadlineMs,
              id -> {
                deadlineMisses.increment();
                LOG.debug(
                    "event=coap_response_deadline source={}", exchange.getSourceSocketAddress());
                send(CoapResponses.serviceUnavailable("storage is not answering, retry later"));
              });
    }

    void send(IngestResult result) {
      send(CoapResponses.of(result, pipeline.limits().maxPayloadBytes()));
    }

    void send(Response response) {
      if (sent) {
        return;
      }
      sent = true;
      vertx.cancelTimer(acceptTimer);
      vertx.cancelTimer(deadlineTimer);
      exchange.respond(response);
    }
  }
}
