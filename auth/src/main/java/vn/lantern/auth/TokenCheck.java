package vn.lantern.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks on every request that a token this node issued has not been revoked, against the shared
 * relational store. Verdicts are cached per token for {@link #CACHE_MS} so a busy console does not
 * query the store on every call: a revocation made on this node clears the cache at once, one made
 * on another node is seen here within {@link #CACHE_MS}. The store is read on a worker, never on
 * the event loop.
 */
final class TokenCheck {
  /** How long a verdict is reused; the longest a revocation on another node takes to hold here. */
  static final long CACHE_MS = 2_000;

  private static final int MAX_CACHED = 50_000;

  private final RevocationStore store;
  private final WorkerExecutor worker;
  private final Cache<String, Optional<String>> verdicts =
      Caffeine.newBuilder()
          .expireAfterWrite(Duration.ofMillis(CACHE_MS))
          .maximumSize(MAX_CACHED)
          .build();

  /** Raised by {@link #invalidate()}, so a lookup that raced a revocation is not cached. */
  private final AtomicLong generation = new AtomicLong();

  TokenCheck(RevocationStore store, WorkerExecutor worker) {
    this.store = store;
    this.worker = worker;
  }

  /** Succeeds with {@code caller} when its token still counts, else fails with the reason. */
  Future<Caller> userToken(Caller caller, long version) {
    return check(
        caller, () -> store.userTokenRefusal(caller.username(), version, caller.tokenId()));
  }

  /** Succeeds with {@code caller} when its display token {@code id} still exists. */
  Future<Caller> displayToken(Caller caller, String id) {
    return check(caller, () -> store.displayTokenRefusal(id));
  }

  /** Forgets every verdict: called after any revocation on this node. */
  void invalidate() {
    generation.incrementAndGet();
    verdicts.invalidateAll();
  }

  private Future<Caller> check(Caller caller, Callable<Optional<String>> lookup) {
    Optional<String> cached = verdicts.getIfPresent(caller.tokenId());
    long seen = generation.get();
    Future<Optional<String>> verdict =
        cached != null
            ? Future.succeededFuture(cached)
            : worker
                .executeBlocking(lookup, false)
                .onSuccess(
                    v -> {
                      if (generation.get() == seen) {
                        verdicts.put(caller.tokenId(), v);
                      }
                    });
    return verdict.compose(
        refusal ->
            refusal.isEmpty()
                ? Future.succeededFuture(caller)
                : Future.failedFuture(
                    new TokenRevokedException(caller.username(), caller.tokenId(), refusal.get())));
  }
}
