package vn.lantern.gateway.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.gateway.config.GatewayConfig;
import vn.lantern.gateway.store.NewReading;

/** The Circular 10/2021 files, byte for byte, on a fixed example. */
class RegulatoryExporterTest {
  private static final String DEVICE = "kcn-dn-ww1";

  @Test
  void writesFiveMinuteAveragesInTheCircularFormat(@TempDir Path dir) throws Exception {
    GatewayConfig.Export config =
        new GatewayConfig.Export(
            true,
            dir.toString(),
            DEVICE,
            "QNA",
            "KCNDNDN",
            "NT01",
            5,
            "Asia/Ho_Chi_Minh",
            List.of(
                new GatewayConfig.ExportParameter("flow_out", "Flow", "m3/h", 2),
                new GatewayConfig.ExportParameter("temperature", "Temp", "°C", 1),
                new GatewayConfig.ExportParameter("ph", "pH", "-", 2),
                new GatewayConfig.ExportParameter("tss", "TSS", "mg/L", 1),
                new GatewayConfig.ExportParameter("cod", "COD", "mg/L", 1),
                new GatewayConfig.ExportParameter("nh4", "NH4", "mg/L", 2)),
            60,
            null);
    RegulatoryExporter exporter = new RegulatoryExporter(config, new SimpleMeterRegistry());

    long t0 = OffsetDateTime.parse("2026-03-01T08:00:30+07:00").toInstant().toEpochMilli();
    double[][] polls = { // flow_out, temperature, ph, tss, cod, nh4, status
      {10.5, 28.1, 7.1, 20.0, 40.0, 1.50, 0},
      {11.0, 28.2, 7.2, 22.0, 41.0, 1.52, 1},
      {11.5, 28.3, 7.3, 24.0, 45.0, 1.55, 0},
    };
    String[] metrics = {"flow_out", "temperature", "ph", "tss", "cod", "nh4", "status"};
    for (int i = 0; i < polls.length; i++) {
      List<NewReading> poll = new ArrayList<>();
      for (int m = 0; m < metrics.length; m++) {
        poll.add(new NewReading(DEVICE, metrics[m], polls[i][m], null, t0 + i * 60_000L));
      }
      exporter.accept(poll);
      exporter.accept(List.of(new NewReading("other-device", "ph", 1.0, null, t0)));
    }
    // A reading of the next cycle closes the first one.
    exporter.accept(List.of(new NewReading(DEVICE, "ph", 6.9, null, t0 + 5 * 60_000L)));

    Path first = dir.resolve("QNA_KCNDNDN_NT01_20260301080500.txt");
    // The second poll was taken while calibrating: left out of every average (issue 16).
    String expected =
        "Flow\t11.00\tm3/h\t20260301080500\t00\r\n"
            + "Temp\t28.2\t°C\t20260301080500\t00\r\n"
            + "pH\t7.20\t-\t20260301080500\t00\r\n"
            + "TSS\t22.0\tmg/L\t20260301080500\t00\r\n"
            + "COD\t42.5\tmg/L\t20260301080500\t00\r\n"
            + "NH4\t1.53\tmg/L\t20260301080500\t00\r\n";
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(first));

    // A quiet device: the open cycle is closed by the clock.
    exporter.flushDue(t0 + 10 * 60_000L);
    Path second = dir.resolve("QNA_KCNDNDN_NT01_20260301081000.txt");
    assertArrayEquals(
        "pH\t6.90\t-\t20260301081000\t00\r\n".getBytes(StandardCharsets.UTF_8),
        Files.readAllBytes(second));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(2, files.count(), "no partial files left behind");
    }
  }

  @Test
  void statusIsPerParameterAndFaultyReadingsStayOutOfTheAverage(@TempDir Path dir)
      throws Exception {
    GatewayConfig.Export config =
        new GatewayConfig.Export(
            true,
            dir.toString(),
            DEVICE,
            "QNA",
            "KCNDNDN",
            "NT01",
            5,
            "Asia/Ho_Chi_Minh",
            List.of(
                new GatewayConfig.ExportParameter("ph", "pH", "-", 2),
                new GatewayConfig.ExportParameter("cod", "COD", "mg/L", 1),
                new GatewayConfig.ExportParameter("nh4", "NH4", "mg/L", 2)),
            60,
            null);
    List<Path> written = new ArrayList<>();
    RegulatoryExporter exporter =
        new RegulatoryExporter(config, new SimpleMeterRegistry(), written::add);
    long t0 = OffsetDateTime.parse("2026-03-01T08:00:30+07:00").toInstant().toEpochMilli();
    double[][] polls = { // ph, cod, nh4, status (station), status_cod, status_nh4
      {7.0, 40.0, 1.0, 0, 0, 1},
      {7.2, 90.0, 1.2, 0, 2, 1},
      {7.4, 44.0, 1.4, 0, 0, 1},
    };
    String[] metrics = {"ph", "cod", "nh4", "status", "status_cod", "status_nh4"};
    for (int i = 0; i < polls.length; i++) {
      List<NewReading> poll = new ArrayList<>();
      for (int m = 0; m < metrics.length; m++) {
        poll.add(new NewReading(DEVICE, metrics[m], polls[i][m], null, t0 + i * 60_000L));
      }
      exporter.accept(poll);
    }
    exporter.flushDue(t0 + 5 * 60_000L);

    Path file = dir.resolve("QNA_KCNDNDN_NT01_20260301080500.txt");
    assertEquals(List.of(file), written, "the file is handed on for delivery once complete");
    // COD's analyser was in fault for one poll: out of the mean, the line still measuring (00).
    // NH4 was calibrating all cycle: its line says so (01), pH measured throughout (00).
    String expected =
        "pH\t7.20\t-\t20260301080500\t00\r\n"
            + "COD\t42.0\tmg/L\t20260301080500\t00\r\n"
            + "NH4\t1.20\tmg/L\t20260301080500\t01\r\n";
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
  }
}
