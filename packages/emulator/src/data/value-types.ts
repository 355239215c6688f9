/**
 * Value type checks of a data value, after dhis2-core `ValidationUtils.dataValueIsValid` (which
 * returns an i18n key such as `value_not_numeric`; the import reports it in E7619) and
 * `ValidationUtils.normalizeBoolean` (BOOLEAN accepts true/false/1/0 in any case, stored as
 * "true"/"false").
 */

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER = /^[-+]?\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Readable text of the i18n keys DHIS2 uses (its English bundle words them much the same). */
const MESSAGES: Record<string, string> = {
  value_not_numeric: "Value is not numeric",
  value_not_integer: "Value is not an integer",
  value_not_positive_integer: "Value is not a positive integer",
  value_not_negative_integer: "Value is not a negative integer",
  value_not_zero_or_positive_integer: "Value is not zero or a positive integer",
  value_not_percentage: "Value is not a percentage",
  value_not_unit_interval: "Value is not a unit interval",
  value_not_bool: "Value is not boolean",
  value_not_true_only: "Value is not true (yes-only value type)",
  value_not_valid_date: "Value is not a valid date",
  value_not_valid_datetime: "Value is not a valid date and time",
  value_length_greater_than_max_length: "Value is longer than 50000 characters",
};

/** The i18n key and text of a type violation, or undefined when the value fits. */
export function valueTypeProblem(
  valueType: string,
  value: string,
): { key: string; text: string } | undefined {
  const key = problemKey(valueType, value);
  return key ? { key, text: MESSAGES[key] ?? key } : undefined;
}

function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(value);
}

function problemKey(valueType: string, value: string): string | undefined {
  if (value.length > 50_000) return "value_length_greater_than_max_length";
  switch (valueType) {
    case "NUMBER":
      return NUMBER.test(value) ? undefined : "value_not_numeric";
    case "UNIT_INTERVAL":
      return NUMBER.test(value) && Number(value) >= 0 && Number(value) <= 1
        ? undefined
        : "value_not_unit_interval";
    case "PERCENTAGE":
      return NUMBER.test(value) && Number(value) >= 0 && Number(value) <= 100
        ? undefined
        : "value_not_percentage";
    case "INTEGER":
      return INTEGER.test(value) ? undefined : "value_not_integer";
    case "INTEGER_POSITIVE":
      return INTEGER.test(value) && Number(value) > 0 ? undefined : "value_not_positive_integer";
    case "INTEGER_NEGATIVE":
      return INTEGER.test(value) && Number(value) < 0 ? undefined : "value_not_negative_integer";
    case "INTEGER_ZERO_OR_POSITIVE":
      return INTEGER.test(value) && Number(value) >= 0 ? undefined : "value_not_zero_or_positive_integer";
    case "BOOLEAN":
      return normalizeBoolean(value) === undefined ? "value_not_bool" : undefined;
    case "TRUE_ONLY":
      return normalizeBoolean(value) === "true" ? undefined : "value_not_true_only";
    case "DATE":
      return isDate(value) ? undefined : "value_not_valid_date";
    case "DATETIME":
      return DATETIME.test(value) && !Number.isNaN(Date.parse(value.replace(" ", "T")))
        ? undefined
        : "value_not_valid_datetime";
    default:
      return undefined;
  }
}

/** "true"/"false" for the spellings DHIS2 accepts, else undefined. */
export function normalizeBoolean(value: string): "true" | "false" | undefined {
  const v = value.trim().toLowerCase();
  if (v === "true" || v === "1" || v === "t" || v === "yes") return "true";
  if (v === "false" || v === "0" || v === "f" || v === "no") return "false";
  return undefined;
}
