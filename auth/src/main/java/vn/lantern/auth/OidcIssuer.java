package vn.lantern.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts access tokens from an external OpenID Connect issuer: its signing keys come from the
 * discovery document's {@code jwks_uri} (refreshed periodically for key rotation), the issuer and
 * audience are checked, and the role and zones are read from configurable claims.
 */
public final class OidcIssuer {
  private static final Logger LOG = LoggerFactory.getLogger(OidcIssuer.class);
  private static final long REFRESH_MS = 3_600_000;

  private final Vertx vertx;
  private final WebClient web;
  private final OidcSettings settings;
  private volatile JWTAuth verifier;

  private OidcIssuer(Vertx vertx, OidcSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.web = WebClient.create(vertx);
  }

  /** Discovers the issuer's keys; fails if the discovery document or the JWKS cannot be read. */
  public static Future<OidcIssuer> discover(Vertx vertx, OidcSettings settings) {
    OidcIssuer issuer = new OidcIssuer(vertx, settings);
    return issuer
        .loadKeys()
        .map(
            v -> {
              vertx.setPeriodic(
                  REFRESH_MS,
                  id ->
                      issuer
                          .loadKeys()
                          .onFailure(
                              e ->
                                  LOG.warn(
                                      "event=oidc_keys_refresh_failed issuer={} error=\"{}\"",
                                      settings.issuer(),
                                      e.getMessage())));
              return issuer;
            });
  }

  private Future<Void> loadKeys() {
    String base = settings.issuer().replaceAll("/+$", "");
    return web.getAbs(base + "/.well-known/openid-configuration")
        .send()
        .compose(
            response -> {
              if (response.statusCode() != 200) {
                return Future.failedFuture("discovery answered HTTP " + response.statusCode());
              }
              String jwksUri = response.bodyAsJsonObject().getString("jwks_uri");
              if (jwksUri == null) {
                return Future.failedFuture("discovery document has no jwks_uri");
              }
              return web.getAbs(jwksUri).send();
            })
        .compose(
            response -> {
              if (response.statusCode() != 200) {
                return Future.failedFuture("JWKS answered HTTP " + response.statusCode());
              }
              JsonArray keys = response.bodyAsJsonObject().getJsonArray("keys", new JsonArray());
              JWTOptions checks = new JWTOptions().setIssuer(settings.issuer());
              if (!settings.audience().isEmpty()) {
                checks.addAudience(settings.audience());
              }
              JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(checks);
              int usable = 0;
              for (int i = 0; i < keys.size(); i++) {
                JsonObject key = keys.getJsonObject(i);
                if (!"enc".equals(key.getString("use"))) {
                  options.addJwk(key);
                  usable++;
                }
              }
              if (usable == 0) {
                return Future.failedFuture("JWKS has no signing keys");
              }
              verifier = JWTAuth.create(vertx, options);
              LOG.info("event=oidc_keys_loaded issuer={} keys={}", settings.issuer(), usable);
              return Future.succeededFuture();
            });
  }

  /** Verifies a token and maps it to a caller; fails for an invalid token or unknown role. */
  public Future<Caller> authenticate(String token) {
    return verifier
        .authenticate(new TokenCredentials(token))
        .compose(
            user -> {
              JsonObject claims = user.principal();
              if (claims == null || claims.getValue(settings.roleClaim()) == null) {
                claims = user.attributes().getJsonObject("accessToken", new JsonObject());
              }
              Role role = Role.parse(claims.getValue(settings.roleClaim()));
              String name = claims.getString("preferred_username", claims.getString("sub"));
              if (role == null || name == null) {
                return Future.failedFuture("token has no usable role or subject");
              }
              Set<String> zones = new LinkedHashSet<>();
              Object list = claims.getValue(settings.zonesClaim());
              if (list instanceof JsonArray array) {
                array.forEach(z -> zones.add(String.valueOf(z)));
              }
              return Future.succeededFuture(
                  new Caller(name, role, role == Role.ZONE_MANAGER ? zones : Set.of()));
            });
  }
}
