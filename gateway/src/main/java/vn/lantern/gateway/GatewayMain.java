package vn.lantern.gateway;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.lantern.common.build.VersionProvider;
import vn.lantern.gateway.config.GatewayConfig;
import vn.lantern.gateway.config.GatewayConfigLoader;

/** {@code lantern gateway --config FILE}: runs the edge gateway in the foreground. */
@Command(
    name = "lantern gateway",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Runs the edge gateway: polls Modbus TCP devices and LAN sensors, keeps every reading in"
            + " a durable local queue and uplinks it to an ingest node over MQTT or CoAP.")
public final class GatewayMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

  @Option(
      names = "--config",
      description =
          "YAML config file; ${VAR} placeholders are filled from the environment, LANTERN_GATEWAY_*"
              + " variables override keys")
  Path config;

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    GatewayConfig cfg;
    Gateway gateway;
    try {
      cfg = GatewayConfigLoader.load(config, System.getenv());
      gateway = Gateway.start(cfg);
    } catch (RuntimeException e) {
      LOG.error("event=gateway_start_failed error=\"{}\"", e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }
}
