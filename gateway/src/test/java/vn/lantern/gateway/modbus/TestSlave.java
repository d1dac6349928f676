package vn.lantern.gateway.modbus;

import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import vn.lantern.common.modbus.RegisterDecoder;
import vn.lantern.common.modbus.RegisterMap;
import vn.lantern.common.modbus.RegisterSpec;
import vn.lantern.common.modbus.RegisterTable;

/**
 * A Modbus TCP slave for the gateway's tests, on the same library (j2mod) the gateway polls with: a
 * process image of holding and input registers the test sets word by word, on a free port of
 * 127.0.0.1. (The demo slaves with signal models live in firmware-sim.)
 */
public final class TestSlave implements AutoCloseable {
  private static final int REGISTERS = 64;

  private final ModbusSlave slave;
  private final SimpleProcessImage image;
  private final int port;

  private TestSlave(ModbusSlave slave, SimpleProcessImage image, int port) {
    this.slave = slave;
    this.image = image;
    this.port = port;
  }

  /** Starts a slave answering for {@code unitId}. */
  public static TestSlave start(int unitId) throws Exception {
    SimpleProcessImage image = new SimpleProcessImage(unitId);
    for (int i = 0; i < REGISTERS; i++) {
      image.addRegister(new SimpleRegister(0));
      image.addInputRegister(new SimpleInputRegister(0));
    }
    // j2mod keys its slaves by port and cannot report a bound port 0, so take a free port from
    // the OS and retry on the rare race with another process.
    for (int attempt = 0; ; attempt++) {
      int port = freePort();
      ModbusSlave slave =
          ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
      slave.addProcessImage(unitId, image);
      slave.open();
      if (awaitListening(port)) {
        return new TestSlave(slave, image, port);
      }
      slave.close();
      if (attempt == 5) {
        throw new IllegalStateException("no free port for a Modbus slave");
      }
    }
  }

  public int port() {
    return port;
  }

  public String endpoint() {
    return "127.0.0.1:" + port;
  }

  /** Sets holding registers from {@code address} on. */
  public void setHolding(int address, int... words) {
    for (int i = 0; i < words.length; i++) {
      image.getRegister(address + i).setValue(words[i]);
    }
  }

  /** Sets input registers from {@code address} on. */
  public void setInput(int address, int... words) {
    for (int i = 0; i < words.length; i++) {
      ((SimpleInputRegister) image.getInputRegister(address + i)).setValue(words[i]);
    }
  }

  /** Writes values (metric → value) encoded the way {@code map} says. */
  public void serve(RegisterMap map, Map<String, Double> values) {
    for (RegisterSpec spec : map.registers()) {
      Double value = values.get(spec.metric());
      if (value == null) {
        continue;
      }
      int[] words = RegisterDecoder.encode(map, spec, value);
      if (map.table() == RegisterTable.HOLDING) {
        setHolding(spec.address(), words);
      } else {
        setInput(spec.address(), words);
      }
    }
  }

  /** Stops answering, as a device that goes away (idempotent). */
  public void stop() {
    slave.close();
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean awaitListening(int port) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return true;
      } catch (IOException e) {
        Thread.sleep(20);
      }
    }
    return false;
  }
}
