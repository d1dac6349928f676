package vn.lantern.rules.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Tokens of an external OpenID Connect issuer (a local discovery document and JWKS over real HTTP,
 * RS256 keys generated here) carry the role and zones of their user.
 */
@ExtendWith(InfluxDbExtension.class)
class OidcTest {

  private static String b64url(BigInteger n) {
    byte[] bytes = n.toByteArray();
    if (bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Test
  void anExternalZoneManagerIsLimitedToTheZonesInTheToken(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
    JsonObject jwks =
        new JsonObject()
            .put(
                "keys",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("kty", "RSA")
                            .put("use", "sig")
                            .put("alg", "RS256")
                            .put("kid", "k1")
                            .put("n", b64url(pub.getModulus()))
                            .put("e", b64url(pub.getPublicExponent()))));
    TestNode node = null;
    io.vertx.core.Vertx idpVertx = io.vertx.core.Vertx.vertx();
    try {
      String[] issuer = new String[1];
      HttpServer idp =
          TestNode.await(
              idpVertx
                  .createHttpServer()
                  .requestHandler(
                      req -> {
                        JsonObject body =
                            req.path().endsWith("/.well-known/openid-configuration")
                                ? new JsonObject()
                                    .put("issuer", issuer[0])
                                    .put("jwks_uri", issuer[0] + "/keys")
                                : jwks;
                        req.response()
                            .putHeader("content-type", "application/json")
                            .end(body.encode());
                      })
                  .listen(0, "127.0.0.1"));
      issuer[0] = "http://127.0.0.1:" + idp.actualPort() + "/realms/quang-nam";
      node =
          TestNode.builder(dataDir, influx)
              .set("rules.seedRulePacks", false)
              .set("rules.oidc.issuer", issuer[0])
              .set("rules.oidc.audience", "lantern")
              .set("rules.oidc.roleClaim", "lantern_role")
              .set("rules.oidc.zonesClaim", "lantern_zones")
              .start();

      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n";
      JWTAuth signer =
          JWTAuth.create(
              idpVertx,
              new JWTAuthOptions()
                  .addPubSecKey(
                      new PubSecKeyOptions().setAlgorithm("RS256").setId("k1").setBuffer(pem)));
      String token =
          signer.generateToken(
              new JsonObject()
                  .put("sub", "f2b1")
                  .put("preferred_username", "hoian.manager")
                  .put("lantern_role", "zone-manager")
                  .put("lantern_zones", new JsonArray().add("hoi-an")),
              new JWTOptions()
                  .setAlgorithm("RS256")
                  .setIssuer(issuer[0])
                  .addAudience("lantern")
                  .setExpiresInMinutes(5));
      String otherIssuer =
          signer.generateToken(
              new JsonObject().put("sub", "x").put("lantern_role", "admin"),
              new JWTOptions()
                  .setAlgorithm("RS256")
                  .setIssuer("http://evil")
                  .addAudience("lantern"));

      TestNode n = node;
      TestNode.awaitTrue(
          "the issuer's keys are loaded",
          java.time.Duration.ofSeconds(10),
          () -> {
            try {
              return n.http("GET", "/api/v1/rules", null, token).status() == 200;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      JsonObject tamKy = RulesApiTest.hoiAnRule();
      tamKy.getJsonObject("scope").put("zone", "tam-ky");
      assertEquals(403, node.http("POST", "/api/v1/rules", tamKy, token).status());
      assertEquals(
          201, node.http("POST", "/api/v1/rules", RulesApiTest.hoiAnRule(), token).status());
      assertEquals(403, node.http("GET", "/api/v1/devices", null, token).status());
      assertEquals(401, node.http("GET", "/api/v1/rules", null, otherIssuer).status());
    } finally {
      if (node != null) {
        node.close();
      }
      idpVertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
