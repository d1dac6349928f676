import { formatNumber, parseDecimal } from "./i18n.js";

/**
 * A number typed the way people write it: "1,2" and "1.2" both mean 1.2. A text input (a number
 * input silently drops the comma, turning "1,2" into 12), with the parsed value shown back.
 */
export function NumberField({ label, name, text, unit, lang, t, onText, error, children }) {
  const parsed = parseDecimal(text);
  const problem = error ?? parsed.error;
  return (
    <label>{label}
      <input name={name} inputmode="decimal" autocomplete="off" value={text}
        onInput={(e) => onText(e.target.value)} aria-invalid={problem ? "true" : "false"} />
      {problem && <small class="field-error" data-error-for={name}>{t(problem.key ?? problem)}{problem.detail ? ` (${problem.detail})` : ""}</small>}
      {!problem && !parsed.empty && (
        <small class="parsed" data-parsed-for={name} data-value={parsed.value}>
          {t("parsed")} {formatNumber(lang, parsed.value, 6)}{unit ? ` ${unit}` : ""}
        </small>
      )}
      {children}
    </label>
  );
}
