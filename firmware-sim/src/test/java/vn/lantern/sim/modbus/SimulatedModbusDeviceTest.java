package vn.lantern.sim.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import vn.lantern.common.modbus.RegisterMap;
import vn.lantern.gateway.config.GatewayConfig.ModbusDevice;
import vn.lantern.gateway.modbus.ModbusPoller;
import vn.lantern.gateway.store.NewReading;
import vn.lantern.sim.signal.Ranges;

/** The simulated devices answer the gateway's poller with every metric of their map, in range. */
class SimulatedModbusDeviceTest {

  @Test
  void servesEveryShippedMapWithModelValues() throws Exception {
    for (ModbusModel model : ModbusModel.values()) {
      try (SimulatedModbusDevice device =
          SimulatedModbusDevice.start("127.0.0.1", 0, model, 5, 42)) {
        LinkedBlockingQueue<List<NewReading>> polls = new LinkedBlockingQueue<>();
        ModbusDevice config =
            new ModbusDevice(
                "sim-" + model.mapName(), device.endpoint(), 5, model.mapName(), 500, 2000);
        try (ModbusPoller poller =
            new ModbusPoller(config, polls::add, new SimpleMeterRegistry())) {
          poller.start();
          List<NewReading> readings = polls.poll(30, TimeUnit.SECONDS);
          assertNotNull(readings, model + ": no poll within 30 s");
          assertEquals(RegisterMap.load(model.mapName()).registers().size(), readings.size());
          for (NewReading r : readings) {
            Ranges.Range range = Ranges.of(model.type(), r.metric());
            assertTrue(
                r.value() >= range.min() - 0.01 && r.value() <= range.max() + 0.01,
                model + " " + r.metric() + "=" + r.value() + " outside " + range);
          }
        }
      }
    }
  }
}
