package vn.lantern.auth.audit;

import java.util.List;

/**
 * One page of the audit log, newest first.
 *
 * @param entries the entries
 * @param next the cursor of the next (older) page, or null when there is none
 */
public record AuditPage(List<AuditEntry> entries, String next) {}
