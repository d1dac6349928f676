package vn.lantern.common.influx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Line protocol posted as bytes reaches a real InfluxDB, plain and gzip-compressed, and its
 * refusals and outages surface as the same influxdb-java exceptions as through that client.
 */
@ExtendWith(InfluxDbExtension.class)
class InfluxLineWriterTest {
  private final TestInflux influx;

  InfluxLineWriterTest(TestInflux influx) {
    this.influx = influx;
  }

  private InfluxSettings settings(String gzip) {
    InfluxSettings base = InfluxSettings.defaults().withServer(influx.url(), influx.database());
    return new InfluxSettings(
        base.url(),
        base.database(),
        base.username(),
        base.password(),
        base.batchSize(),
        base.writesInFlight(),
        base.maxBufferedReadings(),
        base.maxRetryDelayMs(),
        gzip);
  }

  private static void write(InfluxLineWriter writer, String lines) {
    // Only the bytes between offset and length are the body.
    byte[] padded = ("##" + lines + "##").getBytes(StandardCharsets.UTF_8);
    writer.write(padded, 2, padded.length - 4);
  }

  @Test
  void writesPlainAndCompressedBodiesInMilliseconds() {
    try (InfluxLineWriter plain = new InfluxLineWriter(settings("false"));
        InfluxLineWriter gzip = new InfluxLineWriter(settings("true"))) {
      write(plain, "w_plain,site=Cẩm\\ Hà level_m=1.5 1700000000001\n");
      write(gzip, "w_gzip,site=Cẩm\\ Hà level_m=2.5 1700000000002\n");
    }

    List<Map<String, Object>> plain = influx.query("SELECT * FROM w_plain");
    List<Map<String, Object>> gzip = influx.query("SELECT * FROM w_gzip");
    assertEquals(1, plain.size());
    assertEquals("Cẩm Hà", plain.get(0).get("site"));
    assertEquals(1.5, plain.get(0).get("level_m"));
    assertEquals(1, gzip.size());
    assertEquals(2.5, gzip.get(0).get("level_m"));
  }

  @Test
  void refusalsAndOutagesAreInfluxdbJavasExceptions() {
    try (InfluxLineWriter writer = new InfluxLineWriter(settings("false"))) {
      write(writer, "w_types value=1 1700000000000\n");
      assertThrows(
          InfluxDBException.FieldTypeConflictException.class,
          () -> write(writer, "w_types value=\"text\" 1700000000001\n"));
      assertThrows(
          InfluxDBException.UnableToParseException.class,
          () -> write(writer, "w_types value= 1700000000002\n"));
    }
    try (InfluxLineWriter elsewhere =
        new InfluxLineWriter(
            settings("false").withServer(influx.url(), "no_such_database_line_writer"))) {
      assertThrows(
          InfluxDBException.DatabaseNotFoundException.class,
          () -> write(elsewhere, "w value=1 1700000000000\n"));
    }
    try (InfluxLineWriter down =
        new InfluxLineWriter(settings("false").withServer("http://127.0.0.1:1", "lantern"))) {
      assertThrows(InfluxDBIOException.class, () -> write(down, "w value=1 1700000000000\n"));
    }
  }
}
