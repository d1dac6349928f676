package vn.lantern.gateway.config;

import java.util.List;
import java.util.Map;

/**
 * The gateway's typed configuration: defaults below, overridden by a YAML file (with {@code ${VAR}}
 * placeholders filled from the environment), overridden by the {@code LANTERN_GATEWAY_*} variables
 * in {@link #ENV}. Documented in {@code docs/gateway.md}.
 *
 * @param id the gateway's device id in the ingest node's registry (type {@code gateway})
 * @param secret the gateway's secret in the registry
 * @param dataDir where the durable queue lives
 * @param http {@code /health} and {@code /metrics}
 * @param uplink the ingest node and the drain policy
 * @param queue bounds of the durable queue
 * @param modbus Modbus TCP devices to poll
 * @param lan local MQTT listener for site sensors
 * @param export regulatory export files
 */
public record GatewayConfig(
    String id,
    String secret,
    String dataDir,
    Http http,
    Uplink uplink,
    Queue queue,
    List<ModbusDevice> modbus,
    Lan lan,
    Export export) {

  /** Environment variable → config key. */
  public static final Map<String, String> ENV =
      Map.ofEntries(
          Map.entry("LANTERN_GATEWAY_ID", "id"),
          Map.entry("LANTERN_GATEWAY_SECRET", "secret"),
          Map.entry("LANTERN_GATEWAY_DATA_DIR", "dataDir"),
          Map.entry("LANTERN_GATEWAY_HTTP_PORT", "http.port"),
          Map.entry("LANTERN_GATEWAY_UPLINK_URL", "uplink.url"),
          Map.entry("LANTERN_GATEWAY_UPLINK_PSK", "uplink.psk"),
          Map.entry("LANTERN_GATEWAY_EXPORT_FTP_PASSWORD", "export.ftp.password"));

  public GatewayConfig {
    modbus = modbus == null ? List.of() : List.copyOf(modbus);
  }

  /** The documented defaults. */
  public static GatewayConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .secret(secret)
        .dataDir(dataDir)
        .http(http)
        .uplink(uplink)
        .queue(queue)
        .modbus(modbus)
        .lan(lan)
        .export(export);
  }

  /** Builds a {@link GatewayConfig} by naming what differs from the defaults. */
  public static final class Builder {
    private String id = "";
    private String secret = "";
    private String dataDir = "var/gateway";
    private Http http = new Http("0.0.0.0", 8081);
    private Uplink uplink = Uplink.builder().build();
    private Queue queue = new Queue(1L << 30, 0, 10_000);
    private List<ModbusDevice> modbus = List.of();
    private Lan lan = new Lan(false, "0.0.0.0", 1883, List.of());
    private Export export =
        new Export(
            false,
            "var/gateway/export",
            "",
            "",
            "",
            "",
            5,
            "Asia/Ho_Chi_Minh",
            List.of(),
            60,
            Ftp.disabled());

    private Builder() {}

    public Builder id(String value) {
      id = value;
      return this;
    }

    public Builder secret(String value) {
      secret = value;
      return this;
    }

    public Builder dataDir(String value) {
      dataDir = value;
      return this;
    }

    public Builder http(Http value) {
      http = value;
      return this;
    }

    public Builder uplink(Uplink value) {
      uplink = value;
      return this;
    }

    public Builder queue(Queue value) {
      queue = value;
      return this;
    }

    public Builder modbus(List<ModbusDevice> value) {
      modbus = value;
      return this;
    }

    public Builder lan(Lan value) {
      lan = value;
      return this;
    }

    public Builder export(Export value) {
      export = value;
      return this;
    }

    public GatewayConfig build() {
      return new GatewayConfig(id, secret, dataDir, http, uplink, queue, modbus, lan, export);
    }
  }

  /**
   * @param host bind address
   * @param port port; 0 binds a free one
   */
  public record Http(String host, int port) {}

  /**
   * @param url ingest node: MQTT {@code tcp://host:port}, or {@code ssl://host:port} for TLS
   *     (server certificate and host name checked against {@code caFile}, else the JVM trust
   *     store); CoAP {@code coaps://host:port} (DTLS PSK), or {@code coap://host:port} against a
   *     node in insecure lab mode
   * @param psk the gateway's DTLS pre-shared key for {@code coaps://} (its {@code psk} in the
   *     registry)
   * @param caFile PEM file of the CA(s) that sign the node's certificate for {@code ssl://}; empty
   *     trusts the JVM's trust store
   * @param certFile PEM client certificate (CN = gateway id) for {@code ssl://}: the gateway then
   *     logs in with it instead of its secret; empty for none
   * @param keyFile its PKCS#8 PEM private key (as {@code lantern ca issue} writes it)
   * @param batchSize most readings in one message
   * @param maxInFlight messages awaiting their PUBACK at once
   * @param maxMessagesPerSecond drain rate after an outage, so the ingest nodes are not flooded
   * @param minBackoffMs first reconnect delay
   * @param maxBackoffMs cap of the exponential reconnect delay (full jitter below it)
   * @param ackTimeoutMs how long a publish may wait for its PUBACK before it is sent again
   */
  public record Uplink(
      String url,
      String psk,
      String caFile,
      String certFile,
      String keyFile,
      int batchSize,
      int maxInFlight,
      int maxMessagesPerSecond,
      int minBackoffMs,
      int maxBackoffMs,
      int ackTimeoutMs) {
    public Uplink {
      psk = psk == null ? "" : psk;
      caFile = caFile == null ? "" : caFile;
      certFile = certFile == null ? "" : certFile;
      keyFile = keyFile == null ? "" : keyFile;
    }

    /** A builder starting from the documented defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder starting from this uplink. */
    public Builder toBuilder() {
      return new Builder()
          .url(url)
          .psk(psk)
          .caFile(caFile)
          .certFile(certFile)
          .keyFile(keyFile)
          .batchSize(batchSize)
          .maxInFlight(maxInFlight)
          .maxMessagesPerSecond(maxMessagesPerSecond)
          .minBackoffMs(minBackoffMs)
          .maxBackoffMs(maxBackoffMs)
          .ackTimeoutMs(ackTimeoutMs);
    }

    /** Builds an {@link Uplink} by naming what differs from the defaults. */
    public static final class Builder {
      private String url = "tcp://127.0.0.1:1883";
      private String psk = "";
      private String caFile = "";
      private String certFile = "";
      private String keyFile = "";
      private int batchSize = 100;
      private int maxInFlight = 8;
      private int maxMessagesPerSecond = 20;
      private int minBackoffMs = 500;
      private int maxBackoffMs = 30_000;
      private int ackTimeoutMs = 10_000;

      private Builder() {}

      public Builder url(String value) {
        url = value;
        return this;
      }

      public Builder psk(String value) {
        psk = value;
        return this;
      }

      public Builder caFile(String value) {
        caFile = value;
        return this;
      }

      public Builder certFile(String value) {
        certFile = value;
        return this;
      }

      public Builder keyFile(String value) {
        keyFile = value;
        return this;
      }

      public Builder batchSize(int value) {
        batchSize = value;
        return this;
      }

      public Builder maxInFlight(int value) {
        maxInFlight = value;
        return this;
      }

      public Builder maxMessagesPerSecond(int value) {
        maxMessagesPerSecond = value;
        return this;
      }

      public Builder minBackoffMs(int value) {
        minBackoffMs = value;
        return this;
      }

      public Builder maxBackoffMs(int value) {
        maxBackoffMs = value;
        return this;
      }

      public Builder ackTimeoutMs(int value) {
        ackTimeoutMs = value;
        return this;
      }

      public Uplink build() {
        return new Uplink(
            url,
            psk,
            caFile,
            certFile,
            keyFile,
            batchSize,
            maxInFlight,
            maxMessagesPerSecond,
            minBackoffMs,
            maxBackoffMs,
            ackTimeoutMs);
      }
    }
  }

  /**
   * @param maxBytes disk the queue may use; beyond it the oldest readings are dropped
   * @param maxRows readings the queue may hold, 0 for no row bound
   * @param maxRejectedRows readings refused by the ingest node kept for inspection, in a file of
   *     their own outside {@code maxBytes}; beyond it the oldest are dropped
   */
  public record Queue(long maxBytes, long maxRows, long maxRejectedRows) {}

  /**
   * @param id device id in the registry (registered behind this gateway)
   * @param endpoint {@code host:port} of the Modbus TCP device or RTU converter
   * @param unitId Modbus unit (slave) id
   * @param map shipped map name ({@code wastewater-analyser}, {@code energy-meter}) or a YAML path
   * @param pollIntervalMs time between polls
   * @param timeoutMs response timeout of one request
   */
  public record ModbusDevice(
      String id, String endpoint, int unitId, String map, long pollIntervalMs, int timeoutMs) {
    public ModbusDevice {
      unitId = unitId == 0 ? 1 : unitId;
      pollIntervalMs = pollIntervalMs == 0 ? 1000 : pollIntervalMs;
      timeoutMs = timeoutMs == 0 ? 1000 : timeoutMs;
    }
  }

  /**
   * @param enabled whether to run the LAN listener
   * @param host bind address (the LAN interface)
   * @param port port; 0 binds a free one
   * @param sensors sensors allowed to connect (username = id, password = secret)
   */
  public record Lan(boolean enabled, String host, int port, List<LanSensor> sensors) {
    public Lan {
      sensors = sensors == null ? List.of() : List.copyOf(sensors);
    }
  }

  /**
   * @param id sensor id, also its device id upstream (registered behind this gateway)
   * @param secret its password on the LAN listener
   */
  public record LanSensor(String id, String secret) {}

  /**
   * Circular 10/2021/TT-BTNMT text files for a wastewater station.
   *
   * @param enabled whether to write them
   * @param dir directory the authority picks the files up from
   * @param device the Modbus or LAN device whose readings are averaged
   * @param province province code in the file name
   * @param facility facility code in the file name
   * @param station station code in the file name
   * @param intervalMinutes averaging cycle (5; the 5-minute rule is unconfirmed in the Circular)
   * @param timeZone zone of the timestamps in names and lines
   * @param parameters metric → symbol and unit, one line each, in this order
   * @param retentionDays how long files stay in {@code dir} (once delivered): the 60 days a station
   *     keeps its data locally
   * @param ftp push to the environment department's FTP server
   */
  public record Export(
      boolean enabled,
      String dir,
      String device,
      String province,
      String facility,
      String station,
      int intervalMinutes,
      String timeZone,
      List<ExportParameter> parameters,
      int retentionDays,
      Ftp ftp) {
    public Export {
      parameters = parameters == null ? List.of() : List.copyOf(parameters);
      retentionDays = retentionDays <= 0 ? 60 : retentionDays;
      ftp = ftp == null ? Ftp.disabled() : ftp;
    }
  }

  /**
   * The environment department's FTP server (Circular 10/2021: stations push their files).
   *
   * @param enabled whether files are pushed
   * @param host server host
   * @param port control port (21)
   * @param user login
   * @param password password
   * @param dir remote directory ({@code /} for the login's home)
   * @param passive passive mode (through NAT and firewalls), else active
   * @param timeoutMs connect and read timeout
   * @param minBackoffMs first retry delay after a failure
   * @param maxBackoffMs cap of the exponential retry delay (full jitter below it)
   */
  public record Ftp(
      boolean enabled,
      String host,
      int port,
      String user,
      String password,
      String dir,
      boolean passive,
      int timeoutMs,
      int minBackoffMs,
      int maxBackoffMs) {
    public Ftp {
      port = port == 0 ? 21 : port;
      dir = dir == null ? "/" : dir;
      timeoutMs = timeoutMs <= 0 ? 30_000 : timeoutMs;
      minBackoffMs = minBackoffMs <= 0 ? 10_000 : minBackoffMs;
      maxBackoffMs = maxBackoffMs <= 0 ? 600_000 : maxBackoffMs;
    }

    /** The documented defaults: not pushing. */
    public static Ftp disabled() {
      return new Ftp(false, "", 21, "", "", "/", true, 30_000, 10_000, 600_000);
    }
  }

  /**
   * @param metric Lantern metric averaged
   * @param symbol parameter symbol in the file ({@code pH}, {@code COD}, {@code Flow}, …)
   * @param unit unit written in the file
   * @param decimals decimals of the written average
   */
  public record ExportParameter(String metric, String symbol, String unit, int decimals) {}
}
