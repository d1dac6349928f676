package vn.lantern.sim.modbus;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.modbus.RegisterDecoder;
import vn.lantern.common.modbus.RegisterMap;
import vn.lantern.common.modbus.RegisterSpec;
import vn.lantern.common.modbus.RegisterTable;
import vn.lantern.sim.scenario.DeviceGroup;
import vn.lantern.sim.scenario.DeviceSpec;
import vn.lantern.sim.signal.SignalModel;
import vn.lantern.sim.signal.SignalModels;

/**
 * One simulated Modbus TCP device (slave, j2mod): the gateway's shipped register map for its model,
 * filled every second from the simulator's signal model for that sensor type, so the gateway can be
 * demonstrated and tested end to end against realistic values. The same seed gives the same values.
 */
public final class SimulatedModbusDevice implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedModbusDevice.class);
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

  private final ModbusSlave slave;
  private final SimpleProcessImage image;
  private final RegisterMap map;
  private final SignalModel model;
  private final SplittableRandom random;
  private final Instant startedAt = Instant.now();
  private final ScheduledExecutorService sampler;
  private final String host;
  private final int port;
  private volatile Map<String, Double> current = Map.of();

  private SimulatedModbusDevice(
      ModbusSlave slave,
      SimpleProcessImage image,
      RegisterMap map,
      SignalModel model,
      SplittableRandom random,
      String host,
      int port) {
    this.slave = slave;
    this.image = image;
    this.map = map;
    this.model = model;
    this.random = random;
    this.host = host;
    this.port = port;
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "modbus-sim-sampler");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts serving.
   *
   * @param host address to listen on
   * @param port port; 0 takes a free one (see {@link #port()})
   * @param unitId Modbus unit id answered
   * @param seed random seed of the signal model
   */
  public static SimulatedModbusDevice start(
      String host, int port, ModbusModel model, int unitId, long seed)
      throws IOException, ModbusException {
    RegisterMap map = RegisterMap.load(model.mapName());
    int size = 0;
    for (RegisterSpec spec : map.registers()) {
      size = Math.max(size, spec.address() + spec.type().words());
    }
    SimpleProcessImage image = new SimpleProcessImage(unitId);
    for (int i = 0; i < size; i++) {
      image.addRegister(new SimpleRegister(0));
      image.addInputRegister(new SimpleInputRegister(0));
    }
    SplittableRandom random = new SplittableRandom(seed);
    DeviceGroup group =
        new DeviceGroup(
            "modbus-sim",
            model.type(),
            "modbus-sim",
            null,
            null,
            null,
            1,
            null,
            null,
            null,
            null,
            null);
    SignalModel signal =
        SignalModels.create(
            new DeviceSpec("modbus-sim-01", group, "", null, Duration.ZERO),
            List.of(),
            random.split());
    InetAddress address = InetAddress.getByName(host);
    // j2mod cannot report the port it bound, so port 0 becomes a free port chosen here.
    int bound = port == 0 ? freePort(address) : port;
    ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(address, bound, 8, false);
    slave.addProcessImage(unitId, image);
    slave.open();
    if (!awaitListening(address, bound)) {
      slave.close();
      throw new IOException("cannot listen on " + host + ":" + bound);
    }
    SimulatedModbusDevice device =
        new SimulatedModbusDevice(slave, image, map, signal, random, host, bound);
    device.sample();
    device.sampler.scheduleAtFixedRate(
        device::sample, SAMPLE_EVERY.toMillis(), SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "event=modbus_sim_listening host={} port={} model={} unit={} seed={}",
        host,
        bound,
        model.mapName(),
        unitId,
        seed);
    return device;
  }

  public int port() {
    return port;
  }

  public String endpoint() {
    return host + ":" + port;
  }

  /** The values currently served, metric → value. */
  public Map<String, Double> current() {
    return current;
  }

  private synchronized void sample() {
    Instant now = Instant.now();
    Map<String, Double> values = model.sample(now, Duration.between(startedAt, now), random);
    for (RegisterSpec spec : map.registers()) {
      Double value = values.get(spec.metric());
      if (value == null) {
        continue;
      }
      int[] words = RegisterDecoder.encode(map, spec, value);
      for (int i = 0; i < words.length; i++) {
        if (map.table() == RegisterTable.HOLDING) {
          image.getRegister(spec.address() + i).setValue(words[i]);
        } else {
          ((SimpleInputRegister) image.getInputRegister(spec.address() + i)).setValue(words[i]);
        }
      }
    }
    current = Map.copyOf(values);
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    slave.close();
  }

  private static int freePort(InetAddress address) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, address)) {
      return s.getLocalPort();
    }
  }

  private static boolean awaitListening(InetAddress address, int port) {
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket(address, port)) {
        return true;
      } catch (IOException e) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }
}
