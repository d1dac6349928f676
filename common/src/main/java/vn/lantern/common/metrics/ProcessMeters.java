package vn.lantern.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import vn.lantern.common.build.BuildInfo;

/**
 * The meters every Lantern process exposes besides its own: JVM (memory, GC, threads, classes),
 * process and system (CPU, open files, uptime), and {@code lantern_build_info{version,commit}}
 * (always 1), Micrometer's standard binders.
 */
public final class ProcessMeters {
  /**
   * Version and commit of the running build, {@code lantern_build_info} on {@code /metrics}: an
   * underscore name ending in {@code _info} would lose that suffix in the Prometheus registry.
   */
  public static final String BUILD_INFO = "lantern.build.info";

  private ProcessMeters() {}

  /**
   * Binds the meters to {@code registry}. The GC binder's listeners stay registered for the life of
   * the JVM, which is the life of a node or gateway.
   */
  public static void bindTo(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    BuildInfo build = BuildInfo.current();
    Gauge.builder(BUILD_INFO, () -> 1)
        .description("Version and git commit of the running build (always 1)")
        .tag("version", build.version())
        .tag("commit", build.commit())
        .register(registry);
  }
}
