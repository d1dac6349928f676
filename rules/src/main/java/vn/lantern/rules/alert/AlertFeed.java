package vn.lantern.rules.alert;

import java.util.List;
import java.util.function.Consumer;

/** What other parts of a node (KPIs, the live stream) may read of the alerts. */
public interface AlertFeed {

  /** The open alerts (firing or acknowledged). */
  List<Alert> openAlerts();

  /**
   * Registers a listener of every alert transition; it is called under the alert service's lock and
   * must not block.
   */
  void onAlertEvent(Consumer<AlertEvent> listener);
}
