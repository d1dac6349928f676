package vn.lantern.deploy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ingest.tls.ServerCertificate;
import vn.lantern.ingest.tls.ServerTls;

/**
 * A node's HTTP listeners for the API and console: plain HTTP (off when its port is 0 and TLS is
 * on) and HTTPS with the node's certificate.
 */
final class HttpListeners {
  private final HttpServer plain;
  private final HttpServer secure;
  private final ServerCertificate ownCertificate;

  private HttpListeners(HttpServer plain, HttpServer secure, ServerCertificate ownCertificate) {
    this.plain = plain;
    this.secure = secure;
    this.ownCertificate = ownCertificate;
  }

  /** Starts the listeners with the ingest node's TLS, if any. */
  static Future<HttpListeners> start(
      Vertx vertx, Router router, IngestConfig config, ServerTls tls) {
    return start(vertx, router, config, tls, null);
  }

  /**
   * Starts the listeners of a node without an ingest part (the rules role), loading the certificate
   * itself when one is configured.
   */
  static Future<HttpListeners> startWithOwnCertificate(
      Vertx vertx, Router router, IngestConfig config) {
    IngestConfig.Tls tls = config.tls();
    if (!tls.enabled()) {
      return start(vertx, router, config, null, null);
    }
    return vertx
        .executeBlocking(
            () ->
                ServerCertificate.load(
                    vertx, Path.of(tls.cert()), Path.of(tls.key()), tls.reloadCheckMs()))
        .compose(
            certificate ->
                start(vertx, router, config, new ServerTls(certificate, null), certificate));
  }

  private static Future<HttpListeners> start(
      Vertx vertx,
      Router router,
      IngestConfig config,
      ServerTls tls,
      ServerCertificate ownCertificate) {
    int plainPort = config.tls().plainPort(config.http().port());
    Future<HttpServer> plain =
        plainPort < 0
            ? Future.succeededFuture(null)
            : vertx
                .createHttpServer(config.http().serverOptions().setPort(plainPort))
                .requestHandler(router)
                .listen();
    return plain.compose(
        plainServer -> {
          if (tls == null) {
            return Future.succeededFuture(new HttpListeners(plainServer, null, ownCertificate));
          }
          return vertx
              .createHttpServer(
                  tls.server(config.http().serverOptions().setPort(config.http().tlsPort())))
              .requestHandler(router)
              .listen()
              .map(secure -> new HttpListeners(plainServer, secure, ownCertificate))
              .recover(
                  e ->
                      plainServer == null
                          ? Future.failedFuture(e)
                          : plainServer.close().transform(v -> Future.failedFuture(e)));
        });
  }

  /** The plain HTTP port, or -1 when it is off. */
  int port() {
    return plain == null ? -1 : plain.actualPort();
  }

  /** The HTTPS port, or -1 without a certificate. */
  int tlsPort() {
    return secure == null ? -1 : secure.actualPort();
  }

  /** Stops listening. */
  Future<Void> close() {
    if (ownCertificate != null) {
      ownCertificate.close();
    }
    Future<Void> closed = plain == null ? Future.succeededFuture() : plain.close();
    return secure == null ? closed : closed.eventually(secure::close);
  }
}
