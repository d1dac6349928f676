package vn.lantern.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.auth.audit.AuditLog;
import vn.lantern.auth.display.DisplayToken;
import vn.lantern.common.store.RelationalStore;

/**
 * API users and their bearer tokens: users with PBKDF2-hashed passwords in the relational store,
 * {@code POST /api/v1/login} issuing HS256 JWTs ({@code sub}, {@code role}, {@code zones}, the
 * user's token version {@code ver} and a {@code jti}), and the check of every token presented (and,
 * when configured, tokens of an external OpenID Connect issuer). A token is refused once its user
 * is disabled, deleted or changed, once it is logged out, or once its display token is deleted
 * ({@link TokenCheck}). The first admin's password comes from the configuration ({@code
 * LANTERN_ADMIN_PASSWORD}) or is generated and written to {@code <data dir>/admin-password}, owner
 * readable only; there is never a fixed default.
 */
public final class AuthService implements Authenticator, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);

  /** Routing-context key of the {@link Caller}. */
  public static final String CALLER = "lantern.caller";

  private static final String ISSUER = "lantern";

  /** Claim of a display token: its id. */
  private static final String DISPLAY_CLAIM = "dsp";

  /** Revoked tokens presented, audited once each per node (bounded). */
  private static final int AUDITED_REFUSALS = 10_000;

  private final UserStore users;
  private final RevocationStore revocations;
  private final TokenCheck checks;
  private final AuditLog audit;
  private final Set<String> auditedRefusals =
      Collections.newSetFromMap(
          new LinkedHashMap<String, Boolean>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > AUDITED_REFUSALS;
            }
          });
  private final PasswordHasher hasher;
  private final JWTAuth jwt;
  private final long tokenTtlSeconds;
  private final WorkerExecutor worker;
  private final LoginPool logins;
  private final String dummyHash;
  private volatile OidcIssuer external;
  private final ServiceToken serviceToken;

  /** Merged-away zone id → the zone it now belongs to; read without blocking. */
  private volatile Supplier<Map<String, String>> zoneAliases = Map::of;

  private AuthService(
      UserStore users,
      RevocationStore revocations,
      AuditLog audit,
      PasswordHasher hasher,
      JWTAuth jwt,
      long tokenTtlSeconds,
      WorkerExecutor worker,
      LoginPool logins,
      String serviceToken) {
    this.serviceToken =
        serviceToken == null || serviceToken.isEmpty() ? null : new ServiceToken(serviceToken);
    this.users = users;
    this.revocations = revocations;
    this.checks = new TokenCheck(revocations, worker);
    this.audit = audit;
    this.hasher = hasher;
    this.jwt = jwt;
    this.tokenTtlSeconds = tokenTtlSeconds;
    this.worker = worker;
    this.logins = logins;
    this.dummyHash = hasher.hash(PasswordHasher.randomSecret(16));
  }

  /**
   * Creates the service, its signing key and (on first start) the admin user. Blocking: call from a
   * worker thread.
   *
   * @param jwtSecret HS256 key, or empty to use (and create) {@code <data dir>/jwt-secret}
   * @param adminPassword first admin's password, or empty to generate one
   * @param serviceToken static admin token for automation, or empty for none
   * @param worker runs the store's work (user changes, token checks), never an event loop
   */
  public static AuthService create(
      Vertx vertx,
      RelationalStore store,
      AuditLog audit,
      Path dataDir,
      String jwtSecret,
      String adminPassword,
      int pbkdf2Iterations,
      long tokenTtlSeconds,
      WorkerExecutor worker,
      String serviceToken)
      throws IOException {
    String key =
        jwtSecret == null || jwtSecret.isEmpty()
            ? SecretFiles.readOrCreate(dataDir.resolve("jwt-secret"), 48)
            : jwtSecret;
    JWTAuth jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .setJWTOptions(new JWTOptions().setIssuer(ISSUER))
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(key)));
    PasswordHasher hasher = new PasswordHasher(pbkdf2Iterations);
    UserStore users = new UserStore(store);
    if (users.count() == 0) {
      String password = adminPassword;
      if (password == null || password.isEmpty()) {
        password = PasswordHasher.randomSecret(20);
        SecretFiles.create(dataDir.resolve("admin-password"), password);
        LOG.info(
            "event=admin_created username=admin password_file={}",
            dataDir.resolve("admin-password"));
      } else {
        LOG.info("event=admin_created username=admin password_source=LANTERN_ADMIN_PASSWORD");
      }
      users.save(new User("admin", hasher.hash(password), Role.ADMIN, Set.of()));
    }
    return new AuthService(
        users,
        new RevocationStore(store),
        audit,
        hasher,
        jwt,
        tokenTtlSeconds,
        worker,
        new LoginPool(vertx, LoginPool.THREADS, LoginPool.QUEUE),
        serviceToken);
  }

  /** Stops the login pool. */
  @Override
  public void close() {
    logins.close();
  }

  /** Also accept tokens of an external OpenID Connect issuer. */
  public void trust(OidcIssuer issuer) {
    this.external = issuer;
  }

  /**
   * Checks a password on the login pool and issues a token; null (without saying why) on a wrong
   * login, failed with {@link LoginPool.Busy} when the pool's queue is full.
   */
  public Future<String> login(String username, String password) {
    return logins.submit(
        () -> {
          Optional<User> user = users.find(username);
          boolean ok = hasher.verify(password, user.map(User::passwordHash).orElse(dummyHash));
          // A disabled user gets the same answer as a wrong password: no user enumeration.
          if (!ok || user.isEmpty() || user.get().disabled()) {
            LOG.info("event=login_failed username={}", username);
            return null;
          }
          return token(user.get());
        });
  }

  /**
   * A fresh token for a signed-in user, from the user as stored now (a removed user gets none, a
   * changed role or zones apply): the console's sliding session. Empty for callers that are not
   * users of this node (the service token, external issuers' users).
   */
  public Future<Optional<String>> refresh(Caller caller) {
    return worker.executeBlocking(
        () ->
            caller.tokenId() == null || caller.role() == Role.VIEWER
                ? Optional.<String>empty()
                : users.find(caller.username()).filter(u -> !u.disabled()).map(this::token),
        false);
  }

  private String token(User u) {
    return jwt.generateToken(
        new JsonObject()
            .put("sub", u.username())
            .put("role", u.role().json())
            .put("zones", new JsonArray(List.copyOf(u.zones())))
            .put("ver", u.tokenVersion())
            .put("jti", UUID.randomUUID().toString()),
        new JWTOptions().setExpiresInSeconds((int) tokenTtlSeconds).setIssuer(ISSUER));
  }

  /** The bearer token of a display token (the caller {@code display:<id>}, role viewer). */
  public String displayToken(DisplayToken display) {
    long seconds = (display.expiresAtMs() - System.currentTimeMillis()) / 1000;
    return jwt.generateToken(
        new JsonObject()
            .put("sub", DisplayToken.callerName(display.id()))
            .put("role", Role.VIEWER.json())
            .put("zones", new JsonArray(display.zones().stream().sorted().toList()))
            .put(DISPLAY_CLAIM, display.id())
            .put("jti", display.id()),
        new JWTOptions().setExpiresInSeconds((int) seconds).setIssuer(ISSUER));
  }

  /**
   * Follows zone merges: a token limited to zone X may also see the zones merged into X, and a
   * token naming a merged-away id may see the zone it now belongs to, so a zone manager keeps
   * access to what they had before and after a merge.
   *
   * @param aliases merged-away id → surviving zone, answered from memory
   */
  public void followZoneAliases(Supplier<Map<String, String>> aliases) {
    zoneAliases = aliases;
  }

  private Set<String> withAliases(Set<String> zones) {
    Map<String, String> aliases = zoneAliases.get();
    if (zones.isEmpty() || aliases.isEmpty()) {
      return zones;
    }
    Set<String> current = new LinkedHashSet<>();
    zones.forEach(z -> current.add(aliases.getOrDefault(z, z)));
    Set<String> all = new LinkedHashSet<>(zones);
    all.addAll(current);
    aliases.forEach(
        (alias, zone) -> {
          if (current.contains(zone)) {
            all.add(alias);
          }
        });
    return all;
  }

  /** The users' store, for the admin API; blocking. */
  public UserStore users() {
    return users;
  }

  /** Hashes a password (deliberately slow); blocking. */
  public String hash(String password) {
    return hasher.hash(password);
  }

  /** Whether {@code password} is the user's current password; on the login pool. */
  public Future<Boolean> checkPassword(String username, String password) {
    return logins.submit(
        () -> {
          Optional<User> user = users.find(username);
          boolean ok = hasher.verify(password, user.map(User::passwordHash).orElse(dummyHash));
          return ok && user.isPresent() && !user.get().disabled();
        });
  }

  /**
   * Tells the token check that something was revoked on this node (a user changed, a display token
   * deleted): cached verdicts are dropped, so the change holds on this node's next request.
   */
  public void revoked() {
    checks.invalidate();
  }

  /** Logs a caller's token out until it expires; blocking. */
  public void logout(Caller caller) {
    revocations.revoke(caller.tokenId(), caller.expiresAtMs());
    checks.invalidate();
  }

  /** The worker that runs the store's work for this service. */
  public WorkerExecutor worker() {
    return worker;
  }

  @Override
  public void revokedTokenUsed(TokenRevokedException refusal, String address) {
    boolean first;
    synchronized (auditedRefusals) {
      first = auditedRefusals.add(refusal.tokenId());
    }
    if (first) {
      audit.record(
          refusal.username(),
          address,
          "token.revoked",
          refusal.username(),
          false,
          "reason=" + refusal.getMessage());
    }
  }

  /**
   * The caller of a bearer token: the service token, a token this node issued, or one of the
   * trusted external issuer.
   */
  @Override
  public Future<Caller> authenticate(String token) {
    if (serviceToken != null && serviceToken.matches(token)) {
      return serviceToken.authenticate(token);
    }
    return local(token)
        .recover(
            e ->
                external == null || e instanceof TokenRevokedException
                    ? Future.failedFuture(e)
                    : external.authenticate(token));
  }

  /** Verifies a token this node issued. */
  private Future<Caller> local(String token) {
    return jwt.authenticate(new TokenCredentials(token))
        .compose(
            user -> {
              JsonObject claims = user.principal();
              if (claims == null || claims.getValue("role") == null) {
                claims = user.attributes().getJsonObject("accessToken", new JsonObject());
              }
              Role role = Role.parse(claims.getValue("role"));
              String tokenId = claims.getString("jti");
              if (role == null || claims.getString("sub") == null || tokenId == null) {
                // Also tokens issued before revocation existed (no jti): sign in again.
                return Future.failedFuture("token has no usable role, subject or id");
              }
              Set<String> zones = new LinkedHashSet<>();
              claims
                  .getJsonArray("zones", new JsonArray())
                  .forEach(z -> zones.add(String.valueOf(z)));
              Caller caller =
                  new Caller(
                      claims.getString("sub"),
                      role,
                      withAliases(zones),
                      tokenId,
                      claims.getLong("exp", 0L) * 1000);
              String display = claims.getString(DISPLAY_CLAIM);
              if (display != null) {
                return role == Role.VIEWER
                    ? checks.displayToken(caller, display)
                    : Future.failedFuture("a display token is only a viewer");
              }
              if (role == Role.VIEWER || !(claims.getValue("ver") instanceof Number version)) {
                return Future.failedFuture("a user's token carries its version");
              }
              return checks.userToken(caller, version.longValue());
            });
  }
}
