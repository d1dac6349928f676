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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API users and their bearer tokens: users with PBKDF2-hashed passwords in the rules database,
 * {@code POST /api/v1/login} issuing HS256 JWTs ({@code sub}, {@code role}, {@code zones}), and the
 * handler that checks them (and, when configured, tokens of an external OpenID Connect issuer). The
 * first admin's password comes from the configuration ({@code LANTERN_ADMIN_PASSWORD}) or is
 * generated and written to {@code <data dir>/admin-password}, owner readable only; there is never a
 * fixed default.
 */
public final class AuthService implements Authenticator, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);

  /** Routing-context key of the {@link Caller}. */
  public static final String CALLER = "lantern.caller";

  private static final String ISSUER = "lantern";

  private final UserStore users;
  private final PasswordHasher hasher;
  private final JWTAuth jwt;
  private final long tokenTtlSeconds;
  private final WorkerExecutor worker;
  private final LoginPool logins;
  private final String dummyHash;
  private volatile OidcIssuer external;
  private final ServiceToken serviceToken;

  private AuthService(
      UserStore users,
      PasswordHasher hasher,
      JWTAuth jwt,
      long tokenTtlSeconds,
      WorkerExecutor worker,
      LoginPool logins,
      String serviceToken) {
    this.serviceToken =
        serviceToken == null || serviceToken.isEmpty() ? null : new ServiceToken(serviceToken);
    this.users = users;
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
   */
  public static AuthService create(
      Vertx vertx,
      UserStore users,
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
          if (!ok || user.isEmpty()) {
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
    return worker.executeBlocking(() -> users.find(caller.username()).map(this::token), false);
  }

  private String token(User u) {
    return jwt.generateToken(
        new JsonObject()
            .put("sub", u.username())
            .put("role", u.role().json())
            .put("zones", new JsonArray(List.copyOf(u.zones()))),
        new JWTOptions().setExpiresInSeconds((int) tokenTtlSeconds).setIssuer(ISSUER));
  }

  /** Creates or replaces a user. */
  public Future<Boolean> saveUser(String username, String password, Role role, Set<String> zones) {
    return worker.executeBlocking(
        () -> users.save(new User(username, hasher.hash(password), role, zones)), false);
  }

  public Future<List<User>> users() {
    return worker.executeBlocking(users::all, false);
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
        .recover(e -> external == null ? Future.failedFuture(e) : external.authenticate(token));
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
              if (role == null || claims.getString("sub") == null) {
                return Future.failedFuture("token has no usable role or subject");
              }
              Set<String> zones = new LinkedHashSet<>();
              claims
                  .getJsonArray("zones", new JsonArray())
                  .forEach(z -> zones.add(String.valueOf(z)));
              return Future.succeededFuture(new Caller(claims.getString("sub"), role, zones));
            });
  }
}
