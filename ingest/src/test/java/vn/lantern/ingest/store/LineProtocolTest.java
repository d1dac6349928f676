package vn.lantern.ingest.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;

/** The line protocol the writer produces, and what it refuses to produce. */
class LineProtocolTest {
  private static final DeviceRef DEVICE =
      new DeviceRef("aq,01", "air_quality", "dien-ban", "Điện Bàn = \"A\" C:\\x");
  private static final String SERIES =
      "air_quality,device=aq\\,01,site=Điện\\ Bàn\\ \\=\\ \"A\"\\ C:\\x,zone=dien-ban";

  private static String lines(List<Reading> readings) {
    ByteBuf out = Unpooled.buffer(16);
    int points = LineProtocol.append(out, new TelemetryBatch(DEVICE, readings, "mqtt"));
    String lines = out.toString(StandardCharsets.UTF_8);
    assertEquals(lines.chars().filter(c -> c == '\n').count(), points, "points counted");
    return lines;
  }

  @Test
  void readingsWithTheSameTimestampBecomeOnePointWithSeveralFields() {
    String lines =
        lines(
            List.of(
                new Reading("pm25", 35.2, 1_000),
                new Reading("pm10", 61, 1_000),
                new Reading("pm25", 40.5, 2_000),
                new Reading("co_ppm", 0.4, 1_000)));

    assertEquals(
        SERIES + " pm25=35.2,pm10=61.0,co_ppm=0.4 1000\n" + SERIES + " pm25=40.5 2000\n", lines);
  }

  @Test
  void pointsKeepTheOrderOfTheirFirstReadingAndTheLastValueOfAMetricWins() {
    String lines =
        lines(
            List.of(
                new Reading("level_m", 1, 3_000),
                new Reading("level_m", 2, 1_000),
                new Reading("level_m", 5, 3_000)));

    assertEquals(SERIES + " level_m=5.0 3000\n" + SERIES + " level_m=2.0 1000\n", lines);
  }

  @Test
  void aSeriesInTimeOrderBecomesOneLinePerTimestamp() {
    String lines =
        lines(
            List.of(
                new Reading("ph", 7.1, 1_000),
                new Reading("cod", 40, 1_000),
                new Reading("ph", 7.2, 1_000),
                new Reading("ph", 7.3, 2_000),
                new Reading("cod", 41, 2_000),
                new Reading("ph", 7.4, 3_000)));

    assertEquals(
        SERIES
            + " cod=40.0,ph=7.2 1000\n"
            + SERIES
            + " ph=7.3,cod=41.0 2000\n"
            + SERIES
            + " ph=7.4 3000\n",
        lines);
  }

  @Test
  void extremeDoublesKeepEveryDigit() {
    String lines =
        lines(
            List.of(
                new Reading("a", 1e-7, 1),
                new Reading("b", Double.MAX_VALUE, 1),
                new Reading("c", -0.1 - 0.2, 1)));

    assertEquals(SERIES + " a=1.0E-7,b=1.7976931348623157E308,c=-0.30000000000000004 1\n", lines);
  }

  @Test
  void tagsAreUtf8WithCharactersOutsideTheBasicPlaneKeptWholeAcrossEscapes() {
    DeviceRef device = new DeviceRef("đo 𝄞,1", "noise", "hội-an", "Chùa Cầu𝄞=𝄞");
    ByteBuf out = Unpooled.buffer(4);
    LineProtocol.append(out, new TelemetryBatch(device, List.of(new Reading("db", 55, 7)), "mqtt"));

    byte[] expected =
        "noise,device=đo\\ 𝄞\\,1,site=Chùa\\ Cầu𝄞\\=𝄞,zone=hội-an db=55.0 7\n"
            .getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(expected, ByteBufUtil.getBytes(out));
  }

  @Test
  void namesWhatLineProtocolCannotCarry() {
    assertNull(LineProtocol.unrepresentable(DEVICE));
    assertEquals(
        "site ends with a backslash",
        LineProtocol.unrepresentable(new DeviceRef("d", "t", "z", "Kho\\")));
    assertNull(LineProtocol.unrepresentable(new DeviceRef("a\\,b", "t", "z", "a\\ b\\=")));
    assertEquals(
        "device ends with a backslash",
        LineProtocol.unrepresentable(new DeviceRef("ab\\", "t", "z", "s")));
    assertEquals(
        "site contains a line break",
        LineProtocol.unrepresentable(new DeviceRef("d", "t", "z", "a\nb")));
  }
}
