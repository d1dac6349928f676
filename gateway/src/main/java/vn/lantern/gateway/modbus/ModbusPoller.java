package vn.lantern.gateway.modbus;

import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.modbus.RegisterDecoder;
import vn.lantern.common.modbus.RegisterMap;
import vn.lantern.common.modbus.RegisterSpec;
import vn.lantern.common.modbus.RegisterTable;
import vn.lantern.gateway.config.GatewayConfig.ModbusDevice;
import vn.lantern.gateway.store.NewReading;

/**
 * Polls one Modbus TCP device on its own thread (the Modbus library blocks), decodes its register
 * map and hands each poll's readings to a sink that stores them durably. A device that times out or
 * answers with an exception is counted ({@code gateway_poll_errors_total{device,kind}}) and retried
 * at the next interval; it never holds up another device's poller.
 */
public final class ModbusPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModbusPoller.class);

  /** Most registers one read request may ask for (Modbus limit). */
  private static final int MAX_REGISTERS_PER_READ = 125;

  private final ModbusDevice device;
  private final RegisterMap map;
  private final Consumer<List<NewReading>> sink;
  private final MeterRegistry metrics;
  private final ScheduledExecutorService thread;
  private final String host;
  private final int port;
  private ModbusTCPMaster master;
  private volatile long lastSuccessMs;
  private volatile String lastError = "";
  private String lastErrorKind = "";

  public ModbusPoller(ModbusDevice device, Consumer<List<NewReading>> sink, MeterRegistry metrics) {
    this.device = device;
    this.map = RegisterMap.load(device.map());
    this.sink = sink;
    this.metrics = metrics;
    int colon = device.endpoint().lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "modbus device "
              + device.id()
              + ": endpoint must be host:port, got "
              + device.endpoint());
    }
    this.host = device.endpoint().substring(0, colon);
    this.port = Integer.parseInt(device.endpoint().substring(colon + 1));
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "modbus-" + device.id());
              t.setDaemon(true);
              return t;
            });
    Gauge.builder("gateway_poll_last_success_timestamp_seconds", () -> lastSuccessMs / 1000.0)
        .tag("device", device.id())
        .description("When the device last answered a poll")
        .register(metrics);
  }

  /** Starts polling at the device's interval. */
  public void start() {
    thread.scheduleAtFixedRate(this::pollOnce, 0, device.pollIntervalMs(), TimeUnit.MILLISECONDS);
    LOG.info(
        "event=modbus_polling device={} endpoint={} unit={} map={} interval_ms={}",
        device.id(),
        device.endpoint(),
        device.unitId(),
        map.name(),
        device.pollIntervalMs());
  }

  public String deviceId() {
    return device.id();
  }

  /** Epoch ms of the last successful poll, 0 if none. */
  public long lastSuccessMs() {
    return lastSuccessMs;
  }

  /** The last poll error, empty after a success. */
  public String lastError() {
    return lastError;
  }

  private void pollOnce() {
    long takenAt = System.currentTimeMillis();
    List<NewReading> readings;
    try {
      readings = read(takenAt);
    } catch (ModbusSlaveException e) {
      failed("exception", "modbus exception " + e.getType(), false);
      return;
    } catch (ModbusIOException e) {
      failed(isTimeout(e) ? "timeout" : "io", e.getMessage(), true);
      return;
    } catch (Exception e) {
      failed("io", e.getMessage(), true);
      return;
    }
    try {
      sink.accept(readings);
      lastSuccessMs = takenAt;
      if (!lastErrorKind.isEmpty()) {
        LOG.info("event=modbus_poll_recovered device={}", device.id());
      }
      lastError = "";
      lastErrorKind = "";
    } catch (RuntimeException e) {
      // The store refused: the readings were never acknowledged, so nothing is falsely reported.
      failed("store", e.getMessage(), false);
    }
  }

  private List<NewReading> read(long takenAt) throws Exception {
    if (master == null || !master.isConnected()) {
      master = new ModbusTCPMaster(host, port, device.timeoutMs(), false);
      // One attempt per poll (set after connect, which creates the transaction): the next poll is
      // the retry, so a dead device cannot stretch a poll
      // to several timeouts and the error count tells how many polls were missed.
      master.connect();
      master.setRetries(1);
    }
    int first = Integer.MAX_VALUE;
    int end = 0;
    for (RegisterSpec spec : map.registers()) {
      first = Math.min(first, spec.address());
      end = Math.max(end, spec.address() + spec.type().words());
    }
    int[] words = new int[end - first];
    for (int at = first; at < end; at += MAX_REGISTERS_PER_READ) {
      int count = Math.min(MAX_REGISTERS_PER_READ, end - at);
      InputRegister[] regs =
          map.table() == RegisterTable.HOLDING
              ? master.readMultipleRegisters(device.unitId(), at, count)
              : master.readInputRegisters(device.unitId(), at, count);
      for (int i = 0; i < regs.length; i++) {
        words[at - first + i] = regs[i].getValue();
      }
    }
    List<NewReading> out = new ArrayList<>(map.registers().size());
    for (RegisterSpec spec : map.registers()) {
      double value = RegisterDecoder.decode(map, spec, words, first);
      if (Double.isFinite(value)) {
        out.add(new NewReading(device.id(), spec.metric(), value, spec.unit(), takenAt));
      }
    }
    return out;
  }

  private void failed(String kind, String error, boolean reconnect) {
    String message = error == null ? kind : error;
    Counter.builder("gateway_poll_errors")
        .description("Failed polls per device and kind (timeout, exception, io, store)")
        .tag("device", device.id())
        .tag("kind", kind)
        .register(metrics)
        .increment();
    if (!kind.equals(lastErrorKind)) {
      // One line per change of state, not per failed poll.
      LOG.warn(
          "event=modbus_poll_failed device={} kind={} error=\"{}\"", device.id(), kind, message);
    }
    lastError = message;
    lastErrorKind = kind;
    if (reconnect && master != null) {
      master.disconnect();
      master = null;
    }
  }

  private static boolean isTimeout(ModbusIOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException
          || (t.getMessage() != null && t.getMessage().toLowerCase().contains("timed out"))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (master != null) {
      master.disconnect();
    }
  }
}
