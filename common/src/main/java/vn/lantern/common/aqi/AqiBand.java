package vn.lantern.common.aqi;

/**
 * VN_AQI bands and their colours, per Decision 1459/QD-TCMT (2019).
 *
 * @see VnAqi
 */
public enum AqiBand {
  GOOD(0, 50, 0, 228, 0, "Tốt", "Good"),
  MODERATE(51, 100, 255, 255, 0, "Trung bình", "Moderate"),
  POOR(101, 150, 255, 126, 0, "Kém", "Poor"),
  BAD(151, 200, 255, 0, 0, "Xấu", "Bad"),
  VERY_BAD(201, 300, 143, 63, 151, "Rất xấu", "Very bad"),
  HAZARDOUS(301, 500, 126, 0, 35, "Nguy hại", "Hazardous");

  private final int low;
  private final int high;
  private final String color;
  private final String nameVi;
  private final String nameEn;

  AqiBand(int low, int high, int r, int g, int b, String nameVi, String nameEn) {
    this.low = low;
    this.high = high;
    this.color = String.format("#%02x%02x%02x", r, g, b);
    this.nameVi = nameVi;
    this.nameEn = nameEn;
  }

  /** The band of a (rounded) AQI value; values above 500 are hazardous. */
  public static AqiBand of(int aqi) {
    for (AqiBand band : values()) {
      if (aqi <= band.high) {
        return band;
      }
    }
    return HAZARDOUS;
  }

  /** Lowest AQI of the band. */
  public int low() {
    return low;
  }

  /** Highest AQI of the band. */
  public int high() {
    return high;
  }

  /** The Decision's colour as {@code #rrggbb}. */
  public String color() {
    return color;
  }

  /** Vietnamese name. */
  public String nameVi() {
    return nameVi;
  }

  /** English name. */
  public String nameEn() {
    return nameEn;
  }

  /** Lower-case id used in the API, e.g. {@code very_bad}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
