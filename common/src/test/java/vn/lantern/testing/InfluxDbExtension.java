package vn.lantern.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a real InfluxDB 1.x server through a {@link TestInflux}
 * parameter (test methods, constructors, {@code @BeforeAll}/{@code @BeforeEach}/{@code @AfterEach}/
 * {@code @AfterAll} methods):
 *
 * <pre>
 * &#64;ExtendWith(InfluxDbExtension.class)
 * class WriterTest {
 *   &#64;Test
 *   void writes(TestInflux influx) {
 *     influx.client().write(Point.measurement("m").addField("v", 1.0).build());
 *     assertEquals(1, influx.count("m"));
 *   }
 * }
 * </pre>
 *
 * <p>The server is found or started once per test run (JVM), on first use, kept in JUnit's root
 * store and shut down when the run ends; an {@link InfluxdProcess} also has a shutdown hook. In
 * order: the server at {@code LANTERN_TEST_INFLUX_URL} if set; else {@code influxd} from PATH,
 * started as an {@link InfluxdProcess}; else an {@code influxdb:1.8} Testcontainers container if
 * Docker is reachable; else the test fails with instructions to install InfluxDB (it is never
 * skipped).
 *
 * <p>Each top-level test class gets its own fresh database, dropped after the class;
 * {@code @Nested} classes share their enclosing class's database.
 */
public class InfluxDbExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(InfluxDbExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestInflux.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // Root store: one server per test run, closed by JUnit at the end of the run.
    SharedInflux server =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                SharedInflux.class, key -> SharedInflux.start(), SharedInflux.class);
    ExtensionContext classContext = outermostClassContext(context);
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            ClassDatabase.class,
            key ->
                new ClassDatabase(
                    TestInflux.create(server.url(), classContext.getRequiredTestClass())),
            ClassDatabase.class)
        .influx();
  }

  /** The top-level test class's context: its store is closed right after that class finishes. */
  private static ExtensionContext outermostClassContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getParent().isPresent() && current.getParent().get() != context.getRoot()) {
      current = current.getParent().get();
    }
    return current;
  }

  /** Store entry that drops the class's database when JUnit closes the class store. */
  @SuppressWarnings("deprecation") // CloseableResource: see SharedInflux
  private record ClassDatabase(TestInflux influx)
      implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      influx.dropAndClose();
    }
  }
}
