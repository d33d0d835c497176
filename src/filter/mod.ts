/**
 * The ra/argus flow filter language (ra(1) "FILTER EXPRESSION"), used by
 * `argus -w file "filter"` and every ra* client: parse once, compile to a
 * predicate over FilterSubject, run it per record.
 *
 * @example
 * ```ts
 * import { compileFilter, FilterSyntaxError } from "./mod.ts";
 * try {
 *   const pass = compileFilter("udp and dst port 53");
 *   // for each record: if (pass(subject)) print(record);
 * } catch (e) {
 *   if (e instanceof FilterSyntaxError) console.error(e.message); // exit 2
 *   else throw e;
 * }
 * ```
 * @module
 */

export {
  compileFilter,
  type CompileFilterOptions,
  type FilterPredicate,
} from "./compile_filter.ts";
export { parseFilter, type ParseFilterOptions } from "./filter_parser.ts";
export type {
  CompareOp,
  FilterDirection,
  FilterField,
  FilterKeyword,
  FilterNode,
  HostScope,
} from "./filter_ast.ts";
export type { FilterSubject } from "./filter_subject.ts";
export { FilterSyntaxError } from "./filter_syntax_error.ts";
export {
  type FilterToken,
  type FilterTokenKind,
  tokenizeFilter,
} from "./filter_lexer.ts";
export { type ServiceEntry, ServicesTable } from "./services_table.ts";
export { ProtocolsTable } from "./protocols_table.ts";
export { parseIPv4, parseIPv6, parseMac } from "./address_literals.ts";
