package vn.lantern.common.bus;

/**
 * Which zones a rules node evaluates (rule state, absence deadlines, KPIs): every zone on a single
 * node; in a cluster, the zones whose partition of the readings topic the node owns in the rules
 * consumer group, so that each zone is evaluated by exactly one node.
 */
@FunctionalInterface
public interface ZoneOwnership {
  /** Every zone: the single node. */
  ZoneOwnership ALL = zone -> true;

  /** No zone: a node that has not joined its group yet, or has just given its partitions up. */
  ZoneOwnership NONE = zone -> false;

  boolean owns(String zone);
}
