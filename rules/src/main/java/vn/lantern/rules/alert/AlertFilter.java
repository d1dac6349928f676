package vn.lantern.rules.alert;

import java.util.List;
import java.util.Set;
import vn.lantern.rules.rule.Severity;

/**
 * A query over alerts; null fields do not filter.
 *
 * @param zones zones the caller may see (null for every zone)
 * @param zone the zone asked for, as the ids its alerts are stored under: the zone and the ids
 *     merged into it (alerts raised before a merge keep the zone they were raised in)
 * @param site site
 * @param state state
 * @param severity severity
 * @param ruleId rule
 * @param device device
 * @param from earliest {@code since}, epoch ms
 * @param to latest {@code since}, epoch ms
 * @param limit most alerts returned, newest first
 */
public record AlertFilter(
    Set<String> zones,
    List<String> zone,
    String site,
    AlertState state,
    Severity severity,
    String ruleId,
    String device,
    Long from,
    Long to,
    int limit) {}
