package vn.lantern.sim.modbus;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.lantern.common.build.VersionProvider;

/**
 * {@code sim modbus --listen HOST:PORT --model wastewater-analyser|energy-meter [--unit-id N]
 * [--seed N]}: serves one simulated Modbus TCP device in the foreground until interrupted.
 */
@Command(
    name = "modbus",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Serves one simulated Modbus TCP device (the gateway's shipped register map, values from"
            + " the simulator's signal models) in the foreground.")
public final class ModbusCommand implements Callable<Integer> {
  @Option(
      names = "--listen",
      required = true,
      paramLabel = "HOST:PORT",
      description = "address to listen on, e.g. 127.0.0.1:5020 (port 0 picks a free one)")
  String listen;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      description = "wastewater-analyser or energy-meter")
  String model;

  @Option(names = "--unit-id", defaultValue = "1", description = "Modbus unit id (default 1)")
  int unitId;

  @Option(names = "--seed", defaultValue = "1", description = "random seed (default 1)")
  long seed;

  @Override
  public Integer call() throws Exception {
    int colon = listen.lastIndexOf(':');
    ModbusModel parsed;
    int port;
    try {
      parsed = ModbusModel.parse(model);
      port = Integer.parseInt(listen.substring(colon + 1));
      if (colon <= 0 || port < 0 || port > 65535) {
        throw new IllegalArgumentException("--listen must be HOST:PORT, got " + listen);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("sim modbus: " + e.getMessage());
      return 2;
    }
    SimulatedModbusDevice device =
        SimulatedModbusDevice.start(listen.substring(0, colon), port, parsed, unitId, seed);
    System.out.printf(
        "sim modbus: listening=%s model=%s unit-id=%d seed=%d%n",
        device.endpoint(), parsed.mapName(), unitId, seed);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  device.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }
}
