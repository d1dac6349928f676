package vn.lantern.ingest.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.telemetry.PayloadRejectedException;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.ReadingValidator;
import vn.lantern.common.telemetry.RejectionCause;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.common.telemetry.TelemetryDecoder;
import vn.lantern.common.telemetry.TelemetryLimits;
import vn.lantern.ingest.IngestMeters;
import vn.lantern.ingest.registry.Device;
import vn.lantern.ingest.registry.DeviceAuthenticator;
import vn.lantern.ingest.registry.DeviceRegistry;
import vn.lantern.ingest.store.TelemetryStore;

/**
 * The one telemetry path every protocol endpoint uses: authorize → decode → validate → enrich →
 * make durable in the node's {@link TelemetrySink}. Endpoints only translate their protocol into an
 * {@link IngestRequest} and the {@link IngestResult} back into their protocol's acknowledgement.
 *
 * <p>Decoding and validation run on the caller's event loop (bounded by the payload limit); the
 * returned future completes when the readings are durable, or at once when they are refused.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  /** Refused-credential lines per minute: enough to see an attack, too few to fill a disk. */
  private static final int AUTH_LOG_LINES_PER_MINUTE = 20;

  /** Lowest bucket of the acknowledgement-time histogram. */
  private static final Duration MIN_ACK_BUCKET = Duration.ofNanos(10_000);

  private final DeviceRegistry registry;
  private final DeviceAuthenticator authenticator;
  private final TelemetryLimits limits;
  private final TelemetryDecoder decoder;
  private final ReadingValidator validator;
  private final TelemetrySink sink;
  private final MeterRegistry metrics;
  private final OncePerKeyLog logOnce = new OncePerKeyLog();
  private final LogBudget authLog = new LogBudget(AUTH_LOG_LINES_PER_MINUTE);
  private final Map<String, Map<Outcome, Counter>> messages = new ConcurrentHashMap<>();
  private final Map<String, Counter> readings = new ConcurrentHashMap<>();
  private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();
  private final Map<RejectionCause, Counter> payloadRefusals = new EnumMap<>(RejectionCause.class);
  private final Map<String, Timer> ackLatency = new ConcurrentHashMap<>();

  public Pipeline(
      DeviceRegistry registry,
      DeviceAuthenticator authenticator,
      TelemetryLimits limits,
      TelemetrySink sink,
      MeterRegistry metrics) {
    this.registry = registry;
    this.authenticator = authenticator;
    this.limits = limits;
    this.decoder = new TelemetryDecoder(limits);
    this.validator = new ReadingValidator(limits);
    this.sink = sink;
    this.metrics = metrics;
    for (RejectionCause cause : RejectionCause.values()) {
      payloadRefusals.put(
          cause,
          Counter.builder(IngestMeters.PAYLOAD_REFUSALS)
              .description("refused payloads by reason, e.g. unsupported_unit")
              .tag("reason", cause.name().toLowerCase(java.util.Locale.ROOT))
              .register(metrics));
    }
  }

  /** The limits every endpoint enforces, e.g. to size its protocol's maximum message. */
  public TelemetryLimits limits() {
    return limits;
  }

  /**
   * Checks a client's credentials; refusals are counted, and logged without the secret, once per id
   * and within a per-minute budget.
   *
   * @param address the client's IP address, for the per-address throttle
   */
  public Future<Optional<Device>> authenticate(
      String protocol, String id, String secret, String address) {
    return authenticator
        .authenticate(protocol, id, secret, address)
        .map(
            device -> {
              if (device.isEmpty()) {
                credentialsRefused(protocol, id);
              }
              return device;
            });
  }

  /**
   * Counts and logs (once per id) credentials an endpoint refused itself, e.g. an unknown DTLS PSK
   * identity.
   */
  public void credentialsRefused(String protocol, String id) {
    authFailures
        .computeIfAbsent(protocol, p -> metrics.counter(IngestMeters.AUTH_FAILURES, "protocol", p))
        .increment();
    if (logOnce.first(String.valueOf(id), "auth")) {
      long heldBack = authLog.take(System.currentTimeMillis());
      if (heldBack >= 0) {
        LOG.warn(
            "event=auth_refused protocol={} client={} held_back={}",
            protocol,
            LogBudget.clip(id),
            heldBack);
      }
    }
  }

  /** Runs one message through the pipeline. The future never fails: refusals are results. */
  public Future<IngestResult> ingest(IngestRequest request) {
    Optional<Device> target = registry.publishTarget(request.client(), request.targetDeviceId());
    if (target.isEmpty()) {
      return finish(
          request,
          IngestResult.refused(
              Outcome.NOT_AUTHORIZED,
              request.targetDeviceId() == null
                  ? "a gateway publishes for its devices on their own topic"
                  : "not allowed to publish for device " + request.targetDeviceId(),
              null));
    }
    Device device = target.get();
    List<Reading> decoded;
    try {
      decoded = decoder.decode(request.payload(), request.format(), request.receivedAtMs());
      validator.validate(decoded, System.currentTimeMillis());
    } catch (PayloadRejectedException e) {
      Outcome outcome =
          switch (e.reason()) {
            case TOO_LARGE, TOO_MANY_READINGS -> Outcome.TOO_LARGE;
            case UNSUPPORTED_FORMAT -> Outcome.UNSUPPORTED_FORMAT;
            default -> Outcome.INVALID_PAYLOAD;
          };
      payloadRefusals.get(e.reason()).increment();
      if (logOnce.first(device.id(), e.reason().name())) {
        LOG.warn(
            "event=payload_refused protocol={} device={} reason={} field={} message=\"{}\"",
            request.protocol(),
            device.id(),
            e.reason().name().toLowerCase(java.util.Locale.ROOT),
            e.field().orElse(null),
            e.getMessage());
      }
      return finish(request, IngestResult.refused(outcome, e.getMessage(), e.field().orElse(null)));
    }
    TelemetryBatch batch = new TelemetryBatch(device.ref(), decoded, request.protocol());
    // One stage per message: this runs for every reading the node takes in.
    return sink.accept(batch)
        .transform(
            written -> {
              if (written.succeeded()) {
                return finish(request, IngestResult.accepted(decoded.size()));
              }
              return finish(
                  request,
                  written.cause() instanceof TelemetryStore.RejectedException
                      ? IngestResult.refused(
                          Outcome.STORAGE_REJECTED, "storage refused the readings", null)
                      : IngestResult.refused(
                          Outcome.UNAVAILABLE, "node is saturated, retry later", null));
            });
  }

  /**
   * Counts a message an endpoint refused before it reached the pipeline (e.g. an unknown MQTT
   * topic) and returns the result to answer with.
   */
  public IngestResult refuse(String protocol, Outcome outcome, String message) {
    IngestResult result = IngestResult.refused(outcome, message, null);
    count(protocol, result);
    return result;
  }

  private Future<IngestResult> finish(IngestRequest request, IngestResult result) {
    count(request.protocol(), result);
    if (result.accepted()) {
      ackLatency
          .computeIfAbsent(request.protocol(), this::ackTimer)
          .record(System.nanoTime() - request.receivedAtNanos(), TimeUnit.NANOSECONDS);
    }
    return Future.succeededFuture(result);
  }

  private void count(String protocol, IngestResult result) {
    messages.computeIfAbsent(protocol, this::messageCounters).get(result.outcome()).increment();
    if (result.accepted()) {
      readings
          .computeIfAbsent(
              protocol, p -> metrics.counter(IngestMeters.READINGS_ACCEPTED, "protocol", p))
          .increment(result.readings());
    }
  }

  private Timer ackTimer(String protocol) {
    return Timer.builder(IngestMeters.ACK_DURATION)
        .description("from a message's arrival until its readings are durable and it is answered")
        .tag("protocol", protocol)
        .publishPercentileHistogram()
        // Micrometer's buckets start at 1 ms by default; an acknowledgement can take less.
        .minimumExpectedValue(MIN_ACK_BUCKET)
        .register(metrics);
  }

  private Map<Outcome, Counter> messageCounters(String protocol) {
    Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
    for (Outcome outcome : Outcome.values()) {
      counters.put(
          outcome,
          Counter.builder(IngestMeters.MESSAGES)
              .description("telemetry messages by protocol and outcome")
              .tag("protocol", protocol)
              .tag("outcome", outcome.tag())
              .register(metrics));
    }
    return counters;
  }
}
