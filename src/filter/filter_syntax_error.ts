/**
 * FilterSyntaxError: a ra/argus filter expression that cannot be compiled,
 * with the offending token and its column so the one-line message can
 * point at it. Programs print `message` and exit 2.
 * @module
 */

/** A filter expression is malformed or names something unknown. */
export class FilterSyntaxError extends SyntaxError {
  override readonly name = "FilterSyntaxError";
  /** The whole expression as given. */
  readonly expression: string;
  /** The offending token's text; "" at the end of the expression. */
  readonly token: string;
  /** 1-based column of the offending token (length + 1 at the end). */
  readonly column: number;

  /**
   * The message reads `filter: <reason> at column <n>`, where `reason`
   * already quotes the token (`unexpected "and"`, `unknown port "foo"`).
   */
  constructor(
    expression: string,
    token: string,
    column: number,
    reason: string,
  ) {
    super(`filter: ${reason} at column ${column}`);
    this.expression = expression;
    this.token = token;
    this.column = column;
  }
}
