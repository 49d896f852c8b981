// Status codes of the JSON text-channel layer. Input errors are reported, never trapped:
// a malformed provider frame must not take the module (or the Envoy worker) down.
// The numbers are stable: hosts map them to typed errors.

/** Result of scanning, decoding or rewriting JSON. OK is 0, every error is non-zero. */
export const enum JsonStatus {
  OK = 0,
  /** The document ended inside a value (RFC 8259 §2: a JSON text is one whole value). */
  TRUNCATED = 1,
  /** A byte that the grammar does not allow here (RFC 8259 §2-§5). */
  SYNTAX = 2,
  /** A backslash escape other than \" \\ \/ \b \f \n \r \t \uXXXX (RFC 8259 §7). */
  BAD_ESCAPE = 3,
  /** Bytes that are not UTF-8 (RFC 8259 §8.1 requires UTF-8; RFC 3629 table 3-7). */
  BAD_UTF8 = 4,
  /** An unescaped control character U+0000..U+001F inside a string (RFC 8259 §7). */
  CONTROL_CHAR = 5,
  /** Containers nested deeper than the scanner's maxDepth. */
  DEPTH_EXCEEDED = 6,
  /** More matched values than the scanner's maxMatches. */
  TOO_MANY_MATCHES = 7,
  /** A number that breaks RFC 8259 §6 (leading zero, missing digits, "+1", ".5"). */
  BAD_NUMBER = 8,
  /** Bytes other than whitespace after the one top-level value. */
  TRAILING_DATA = 9,
  /** A path pattern that cannot be parsed (empty segment, bad escape, too many segments). */
  BAD_PATH = 10,
  /** More path patterns than MAX_PATHS. */
  TOO_MANY_PATHS = 11,
  /** A span outside the payload, or with start > end. */
  BAD_SPAN = 12,
}
