package vn.lantern.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * A flood hydrograph: the river level at given times, linearly interpolated between them. Before
 * the first point and after the last the level holds.
 *
 * @param devices the river gauges it drives
 * @param points at least two points in increasing time
 */
public record Hydrograph(
    @JsonProperty(required = true) String devices,
    @JsonProperty(required = true) List<Point> points)
    implements ScenarioEvent {

  /**
   * @param at offset from the scenario's start
   * @param level river level in metres (national datum)
   */
  public record Point(
      @JsonProperty(required = true) Duration at, @JsonProperty(required = true) double level) {}

  public Hydrograph {
    if (points.size() < 2) {
      throw new IllegalArgumentException("points: a hydrograph needs at least two points");
    }
    for (int i = 1; i < points.size(); i++) {
      if (points.get(i).at().compareTo(points.get(i - 1).at()) <= 0) {
        throw new IllegalArgumentException("points[" + i + "].at: times must increase");
      }
    }
    points = List.copyOf(points);
  }

  /** The level at {@code offset} from the scenario's start. */
  public double levelAt(Duration offset) {
    Point first = points.get(0);
    if (offset.compareTo(first.at()) <= 0) {
      return first.level();
    }
    for (int i = 1; i < points.size(); i++) {
      Point b = points.get(i);
      if (offset.compareTo(b.at()) <= 0) {
        Point a = points.get(i - 1);
        double f =
            (double) (offset.toMillis() - a.at().toMillis())
                / (b.at().toMillis() - a.at().toMillis());
        return a.level() + f * (b.level() - a.level());
      }
    }
    return points.get(points.size() - 1).level();
  }

  /** When the hydrograph starts driving the level. */
  public Duration start() {
    return points.get(0).at();
  }

  /** When the hydrograph's last point is reached. */
  public Duration end() {
    return points.get(points.size() - 1).at();
  }
}
