package vn.lantern.deploy.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import vn.lantern.deploy.ScaleOutConfig;
import vn.lantern.ingest.IngestConfig;
import vn.lantern.ioc.kpi.KpiConfig;
import vn.lantern.rules.RulesConfig;

/**
 * The deployment files agree with the config reference: every {@code LANTERN_*} variable they set
 * is one the node reads (a config record binds it) and is documented, and every port they publish,
 * balance or probe is the one the node listens on. Helm cannot be installed from the package
 * sources available here, so the chart is checked at the YAML and template-text level instead of
 * with {@code helm template}.
 */
class DeployArtifactsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern LANTERN_VARIABLE = Pattern.compile("\\b(LANTERN_[A-Z0-9_]+)");
  private final IngestConfig defaults = IngestConfig.defaults();
  private final int mqttsPort = defaults.mqtt().tlsPort();
  private final int httpsPort = defaults.http().tlsPort();

  @Test
  void composeSetsOnlyKnownVariablesAndTheNodesPorts() throws IOException {
    JsonNode services = yaml(ROOT.resolve("deploy/compose.yaml")).get("services");
    Set<String> nodes = new TreeSet<>();
    services
        .fields()
        .forEachRemaining(
            service -> {
              JsonNode env = service.getValue().path("environment");
              env.fieldNames()
                  .forEachRemaining(
                      name -> {
                        if (name.startsWith("LANTERN_")) {
                          assertKnown(name, "compose service " + service.getKey());
                        }
                      });
              if (service.getValue().path("image").asText().contains("lantern-node")) {
                nodes.add(service.getKey());
                assertEquals(
                    "always", service.getValue().path("restart").asText(), service.getKey());
              }
            });
    assertEquals(Set.of("ingest-1", "ingest-2", "rules-1", "rules-2"), nodes);
    for (String node : nodes) {
      assertTrue(
          services.path(node).path("environment").has("LANTERN_DB_URL"),
          node + " shares the PostgreSQL store");
    }

    // The balancer forwards to the ports the nodes listen on, and publishes the same ports.
    String nginx = Files.readString(ROOT.resolve("deploy/compose/nginx.conf"));
    Map<String, Integer> expected =
        Map.of(
            "mqtt", defaults.mqtt().port(),
            "mqtts", mqttsPort,
            "coap", defaults.coap().port(),
            "coaps", defaults.coaps().port(),
            "ingest", defaults.http().port(),
            "rules", defaults.http().port());
    expected.forEach(
        (upstream, port) -> {
          Matcher m = Pattern.compile("upstream " + upstream + "\\s*\\{([^}]*)\\}").matcher(nginx);
          assertTrue(m.find(), "nginx upstream " + upstream);
          Matcher servers = Pattern.compile("server ([a-z0-9-]+):(\\d+)").matcher(m.group(1));
          int count = 0;
          while (servers.find()) {
            count++;
            assertTrue(nodes.contains(servers.group(1)), servers.group());
            assertEquals(port, Integer.parseInt(servers.group(2)), servers.group());
          }
          assertEquals(2, count, "upstream " + upstream + " balances both nodes");
        });
    Set<String> published = new TreeSet<>();
    services.path("lb").path("ports").forEach(p -> published.add(p.asText()));
    for (String port :
        Set.of(
            defaults.mqtt().port() + ":" + defaults.mqtt().port() + "/tcp",
            mqttsPort + ":" + mqttsPort + "/tcp",
            defaults.coap().port() + ":" + defaults.coap().port() + "/udp",
            defaults.coaps().port() + ":" + defaults.coaps().port() + "/udp")) {
      assertTrue(published.contains(port), "lb publishes " + port + " of " + published);
    }
  }

  @Test
  void helmChartSetsOnlyKnownVariablesAndTheNodesPorts() throws IOException {
    Path chart = ROOT.resolve("deploy/helm/lantern");
    JsonNode values = yaml(chart.resolve("values.yaml"));
    JsonNode ports = values.path("ports");
    assertEquals(defaults.mqtt().port(), ports.path("mqtt").asInt());
    assertEquals(mqttsPort, ports.path("mqtts").asInt());
    assertEquals(defaults.coap().port(), ports.path("coap").asInt());
    assertEquals(defaults.coaps().port(), ports.path("coaps").asInt());
    assertEquals(defaults.http().port(), ports.path("http").asInt());
    assertEquals(httpsPort, ports.path("https").asInt());
    assertEquals("lantern.readings", values.path("kafka").path("topic").asText());

    String templates = readAll(chart.resolve("templates"), ".yaml", ".tpl");
    Matcher env = Pattern.compile("name: (LANTERN_[A-Z0-9_]+)").matcher(templates);
    Set<String> set = new TreeSet<>();
    while (env.find()) {
      set.add(env.group(1));
      assertKnown(env.group(1), "helm chart");
    }
    assertTrue(set.containsAll(Set.of("LANTERN_DB_URL", "LANTERN_KAFKA_BOOTSTRAP")), set::toString);
    Matcher portRef = Pattern.compile("\\.Values\\.ports\\.([a-z]+)").matcher(templates);
    while (portRef.find()) {
      assertTrue(ports.has(portRef.group(1)), "values.ports." + portRef.group(1));
    }
    for (String service : new String[] {"mqtt", "mqtts", "coap", "coaps", "http"}) {
      assertTrue(templates.contains("name: " + service + ", port:"), "Service port " + service);
    }
    assertTrue(templates.contains("kind: Deployment"));
    assertFalse(templates.contains("\t"), "no tabs in YAML templates");
  }

  @Test
  void imagesRunUnprivilegedWithAHealthCheckOnTheNodesPorts() throws IOException {
    String node = Files.readString(ROOT.resolve("deploy/Containerfile"));
    assertTrue(node.contains("ARG BASE_IMAGE=docker.io/library/eclipse-temurin:17-jre"));
    assertTrue(node.contains("USER lantern"));
    assertTrue(node.contains("HEALTHCHECK"));
    for (String port :
        new String[] {
          defaults.mqtt().port() + "/tcp",
          mqttsPort + "/tcp",
          defaults.coap().port() + "/udp",
          defaults.coaps().port() + "/udp",
          defaults.http().port() + "/tcp",
          httpsPort + "/tcp"
        }) {
      assertTrue(node.contains(" " + port), "EXPOSE " + port);
    }
    String gateway = Files.readString(ROOT.resolve("deploy/gateway.Containerfile"));
    assertTrue(gateway.contains("USER lantern") && gateway.contains("HEALTHCHECK"));
    Matcher vars = LANTERN_VARIABLE.matcher(node);
    while (vars.find()) {
      assertKnown(vars.group(1), "Containerfile");
    }
  }

  @Test
  void systemdUnitsRestartAlwaysStartAtBootAndAreHardened() throws IOException {
    for (String unit : new String[] {"lantern-node.service", "lantern-gateway.service"}) {
      String text = Files.readString(ROOT.resolve("deploy/systemd").resolve(unit));
      for (String line :
          new String[] {
            "Restart=always",
            "StartLimitIntervalSec=0",
            "WantedBy=multi-user.target",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "PrivateTmp=yes"
          }) {
        assertTrue(text.lines().anyMatch(line::equals), unit + " has " + line);
      }
      assertFalse(text.contains("User=root"), unit);
    }
    String nodeUnit = Files.readString(ROOT.resolve("deploy/systemd/lantern-node.service"));
    Matcher vars = LANTERN_VARIABLE.matcher(nodeUnit);
    while (vars.find()) {
      assertKnown(vars.group(1), "lantern-node.service");
    }
  }

  /** A variable a config record binds and the documentation names. */
  private static void assertKnown(String variable, String where) {
    Set<String> bound = new TreeSet<>();
    bound.addAll(IngestConfig.ENV.keySet());
    bound.addAll(RulesConfig.ENV.keySet());
    bound.addAll(KpiConfig.ENV.keySet());
    bound.addAll(ScaleOutConfig.ENV.keySet());
    assertTrue(bound.contains(variable), where + " sets " + variable + ", which no config reads");
    assertTrue(
        documentation().contains(variable),
        where + " sets " + variable + ", which docs/ does not document");
  }

  private static String documentation() {
    try {
      return readAll(ROOT.resolve("docs"), ".md");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The text of the files in {@code dir} whose names end with one of {@code suffixes}. */
  private static String readAll(Path dir, String... suffixes) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          files
              .filter(f -> Stream.of(suffixes).anyMatch(f.toString()::endsWith))
              .sorted()
              .toList()) {
        all.append(Files.readString(file)).append('\n');
      }
    }
    return all.toString();
  }

  /**
   * Parses with SnakeYAML, which resolves anchors, aliases and merge keys ({@code <<: *node}) that
   * Jackson's YAML tree leaves unresolved.
   */
  private static JsonNode yaml(Path file) throws IOException {
    Object document = new Yaml().load(Files.readString(file));
    return JSON.valueToTree(document);
  }
}
