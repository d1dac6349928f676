package vn.lantern.common.modbus;

/**
 * Turns raw 16-bit register words into values, honouring each value's type, byte order and word
 * order. Words arrive as the Modbus library hands them over: big-endian as on the wire.
 */
public final class RegisterDecoder {
  private RegisterDecoder() {}

  /**
   * Decodes one value.
   *
   * @param words registers read, {@code words[0]} being register {@code firstAddress}
   * @param firstAddress address of {@code words[0]}
   */
  public static double decode(RegisterMap map, RegisterSpec spec, int[] words, int firstAddress) {
    int offset = spec.address() - firstAddress;
    boolean swapBytes = map.byteOrderOf(spec) == Endianness.LITTLE;
    int first = word(words[offset], swapBytes);
    double raw;
    if (spec.type().words() == 1) {
      raw = spec.type() == RegisterType.INT16 ? (short) first : first;
    } else {
      int second = word(words[offset + 1], swapBytes);
      boolean lowWordFirst = map.wordOrderOf(spec) == Endianness.LITTLE;
      int bits = lowWordFirst ? (second << 16) | first : (first << 16) | second;
      raw =
          switch (spec.type()) {
            case INT32 -> bits;
            case UINT32 -> Integer.toUnsignedLong(bits);
            // The shortest decimal of the float (7.22, not 7.21999979019165): what the device
            // shows.
            case FLOAT32 -> Double.parseDouble(Float.toString(Float.intBitsToFloat(bits)));
            default -> throw new IllegalStateException("unexpected type " + spec.type());
          };
    }
    return scaled(raw, spec.effectiveScale());
  }

  /**
   * Encodes a value into registers, the inverse of {@link #decode}: used by simulated slaves and
   * tests.
   */
  public static int[] encode(RegisterMap map, RegisterSpec spec, double value) {
    double raw = value / spec.effectiveScale();
    boolean swapBytes = map.byteOrderOf(spec) == Endianness.LITTLE;
    if (spec.type().words() == 1) {
      return new int[] {word((int) Math.round(raw) & 0xFFFF, swapBytes)};
    }
    int bits =
        switch (spec.type()) {
          case INT32 -> (int) Math.round(raw);
          case UINT32 -> (int) (Math.round(raw) & 0xFFFFFFFFL);
          case FLOAT32 -> Float.floatToIntBits((float) raw);
          default -> throw new IllegalStateException("unexpected type " + spec.type());
        };
    int high = (bits >>> 16) & 0xFFFF;
    int low = bits & 0xFFFF;
    boolean lowWordFirst = map.wordOrderOf(spec) == Endianness.LITTLE;
    return lowWordFirst
        ? new int[] {word(low, swapBytes), word(high, swapBytes)}
        : new int[] {word(high, swapBytes), word(low, swapBytes)};
  }

  private static int word(int value, boolean swapBytes) {
    int w = value & 0xFFFF;
    return swapBytes ? ((w & 0xFF) << 8) | (w >>> 8) : w;
  }

  /**
   * Applies a scale without binary noise: a raw 723 with scale 0.01 gives 7.23, not
   * 7.2299999999999995, so values stored upstream equal the device's decimal reading.
   */
  private static double scaled(double raw, double scale) {
    if (scale == 1.0) {
      return raw;
    }
    return new java.math.BigDecimal(Double.toString(raw))
        .multiply(new java.math.BigDecimal(Double.toString(scale)))
        .doubleValue();
  }
}
