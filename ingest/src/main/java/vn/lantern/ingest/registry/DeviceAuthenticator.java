package vn.lantern.ingest.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import vn.lantern.ingest.ConnectionRefusalLog;
import vn.lantern.ingest.ConnectionRefusalLog.Limit;
import vn.lantern.ingest.IngestMeters;

/**
 * Checks device credentials without letting strangers spend the node's CPU or learn which ids
 * exist:
 *
 * <ul>
 *   <li>a secret verified once is remembered (as a SHA-256 tied to the stored hash), so a reconnect
 *       storm costs one PBKDF2 per device;
 *   <li>a failed (id, secret) pair is remembered for the failure window, so repeating it costs no
 *       PBKDF2 either;
 *   <li>failures are throttled per id and per client address ({@link AuthThrottle}); a device whose
 *       secret is already verified is never locked out by a stranger's failures;
 *   <li>an unknown id is hashed against a decoy, so it takes as long as a wrong secret for a known
 *       id;
 *   <li>PBKDF2 runs on its own small pool with a bounded wait, never on the shared worker pool;
 *       when that wait is full the check fails with {@link CredentialCheckBusyException}, so the
 *       device hears "busy, retry" rather than "wrong secret".
 * </ul>
 */
public final class DeviceAuthenticator implements AutoCloseable {
  /** Longer ids or secrets are never registered, so they are refused before any work. */
  private static final int MAX_ID_LENGTH = 64;

  private static final int MAX_SECRET_LENGTH = 256;
  private static final String NO_DEVICE = "";

  private final DeviceRegistry registry;
  private final SecretHasher hasher;
  private final String decoyHash;
  private final WorkerExecutor pool;
  private final int maxPending;
  private final AtomicInteger pending = new AtomicInteger();
  private final AuthThrottle throttle;
  private final Cache<String, VerifiedSecret> verified;
  private final Cache<String, String> failed;
  private final Counter throttled;
  private final Counter busy;
  private final Counter hashes;
  private final ConnectionRefusalLog refusalLog = new ConnectionRefusalLog();

  private record VerifiedSecret(String storedHash, byte[] digest) {}

  /**
   * @param pbkdf2Iterations the registry's PBKDF2 cost, which the decoy hash matches
   */
  public DeviceAuthenticator(
      Vertx vertx,
      DeviceRegistry registry,
      int pbkdf2Iterations,
      DeviceAuthSettings settings,
      MeterRegistry metrics) {
    this.registry = registry;
    this.hasher = new SecretHasher(pbkdf2Iterations);
    byte[] decoySecret = new byte[24];
    new SecureRandom().nextBytes(decoySecret);
    this.decoyHash = hasher.hash(HexFormat.of().formatHex(decoySecret));
    this.pool = vertx.createSharedWorkerExecutor("lantern-device-auth", settings.threads());
    this.maxPending = settings.maxPending();
    this.throttle = new AuthThrottle(settings);
    this.verified = Caffeine.newBuilder().maximumSize(settings.maxTrackedKeys()).build();
    registry.onRevoked(verified::invalidate);
    this.failed =
        Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(settings.failureWindowSeconds()))
            .maximumSize(settings.maxTrackedKeys())
            .build();
    this.throttled =
        Counter.builder(IngestMeters.AUTH_THROTTLED)
            .description(
                "credential checks refused unchecked: too many failures (throttled) or a full"
                    + " hashing queue (busy)")
            .tag("reason", "throttled")
            .register(metrics);
    this.busy =
        Counter.builder(IngestMeters.AUTH_THROTTLED)
            .description(
                "credential checks refused unchecked: too many failures (throttled) or a full"
                    + " hashing queue (busy)")
            .tag("reason", "busy")
            .register(metrics);
    this.hashes =
        Counter.builder(IngestMeters.AUTH_HASHES)
            .description("PBKDF2 verifications run for device credentials")
            .register(metrics);
  }

  /**
   * Checks a device's credentials.
   *
   * @param protocol {@code mqtt}, {@code coap}: named in the log line of a refused check
   * @param address the client's IP address, for the per-address throttle
   * @return the device when the secret matches; empty never says whether the id or the secret was
   *     wrong, or whether the check was throttled; failed with {@link CredentialCheckBusyException}
   *     when the hashing queue is full and the check was not run
   */
  public Future<Optional<Device>> authenticate(
      String protocol, String id, String secret, String address) {
    if (id == null
        || secret == null
        || id.isEmpty()
        || id.length() > MAX_ID_LENGTH
        || secret.length() > MAX_SECRET_LENGTH) {
      return refused();
    }
    // a disabled device is checked like an unknown one: same cost, same answer
    Device device = registry.device(id).filter(d -> !d.disabled()).orElse(null);
    String storedHash =
        device == null || device.secretHash() == null ? NO_DEVICE : device.secretHash();
    byte[] digest = sha256(id + '\0' + secret);
    VerifiedSecret known = verified.getIfPresent(id);
    if (device != null
        && known != null
        && known.storedHash().equals(storedHash)
        && MessageDigest.isEqual(known.digest(), digest)) {
      return Future.succeededFuture(Optional.of(device));
    }
    String pair = Base64.getEncoder().encodeToString(digest);
    if (storedHash.equals(failed.getIfPresent(pair))) {
      return refused();
    }
    AuthThrottle.Admission admission =
        throttle.tryAttempt(id, address == null ? NO_DEVICE : address);
    AuthThrottle.Refusal refusal = admission.refusal();
    if (refusal == AuthThrottle.Refusal.BUSY) {
      return busy(protocol, id, address);
    }
    if (refusal != null) {
      throttled.increment();
      refusalLog.refused(protocol, refusal.limit(), address, id);
      return refused();
    }
    AuthThrottle.Attempt attempt = admission.attempt();
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      attempt.release();
      return busy(protocol, id, address);
    }
    return pool.<Optional<Device>>executeBlocking(
            () -> {
              // An unknown id costs the same PBKDF2 as a known one: no enumeration by timing.
              hashes.increment();
              boolean match =
                  hasher.verify(secret, storedHash.equals(NO_DEVICE) ? decoyHash : storedHash)
                      && device != null;
              if (!match) {
                failed.put(pair, storedHash);
                attempt.failed();
                return Optional.empty();
              }
              verified.put(id, new VerifiedSecret(storedHash, digest));
              attempt.release();
              return Optional.of(device);
            },
            false)
        .andThen(
            done -> {
              pending.decrementAndGet();
              // a check that broke off (no thread, an error) was not a failure of the secret
              attempt.release();
            });
  }

  private static Future<Optional<Device>> refused() {
    return Future.succeededFuture(Optional.empty());
  }

  private Future<Optional<Device>> busy(String protocol, String id, String address) {
    busy.increment();
    refusalLog.refused(protocol, Limit.AUTH_BUSY, address, id);
    return Future.failedFuture(new CredentialCheckBusyException());
  }

  @Override
  public void close() {
    pool.close();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
