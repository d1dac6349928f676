package vn.lantern.rules.rule;

/**
 * The regulation pack a rule was seeded from, shown beside the rule (the rule editor, the API).
 *
 * @param pack the pack's id
 * @param version the pack's version the rule was seeded from
 * @param citation the legal basis of the rule's limits, or why it has none
 */
public record RuleSource(String pack, int version, String citation) {}
