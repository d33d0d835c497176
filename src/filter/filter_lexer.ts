/**
 * The filter language's tokens (ra(1) "FILTER EXPRESSION"), cut the way
 * argus's scanner cuts them: a run of name characters is one token, then
 * classified as a number, dotted quad, IPv6 or Ethernet address, or word.
 * Keywords are recognised by the parser, so `80-90` and `ftp-data` stay whole.
 * @module
 */

import { FilterSyntaxError } from "./filter_syntax_error.ts";

/** What a token is. */
export type FilterTokenKind =
  | "word"
  | "number"
  | "float"
  | "ipv4"
  | "ipv6"
  | "mac"
  | "string"
  | "punct"
  | "end";

/** One token with its place in the expression. */
export interface FilterToken {
  readonly kind: FilterTokenKind;
  /** Source text (a string token's text is without its quotes). */
  readonly text: string;
  /** 1-based column of the first character. */
  readonly column: number;
  /** Value of a number or float token; NaN otherwise. */
  readonly value: number;
}

const RUN_START = /[A-Za-z0-9_:]/;
const RUN_CHAR = /[A-Za-z0-9_.:-]/;
// Two-character operators first; ra accepts only these as symbols.
const PUNCT2 = ["&&", "||", ">=", "<=", "==", "!="];
const PUNCT1 = "()!/<>=&|+-*[]";

/** Splits `text` into tokens, ending with an `end` token. */
export function tokenizeFilter(text: string): FilterToken[] {
  const out: FilterToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const column = i + 1;
    if (RUN_START.test(c)) {
      let j = i + 1;
      while (j < text.length && RUN_CHAR.test(text[j]!)) j++;
      out.push(classify(text.slice(i, j), column));
      i = j;
      continue;
    }
    if (c === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) {
        throw new FilterSyntaxError(
          text,
          text.slice(i),
          column,
          "unterminated string",
        );
      }
      out.push(token("string", text.slice(i + 1, close), column));
      i = close + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      out.push(token("punct", two, column));
      i += 2;
      continue;
    }
    if (PUNCT1.includes(c)) {
      out.push(token("punct", c, column));
      i++;
      continue;
    }
    throw new FilterSyntaxError(
      text,
      c,
      column,
      `illegal character "${c}"`,
    );
  }
  out.push(token("end", "", text.length + 1));
  return out;
}

function token(
  kind: FilterTokenKind,
  text: string,
  column: number,
  value = NaN,
): FilterToken {
  return { kind, text, column, value };
}

function classify(s: string, column: number): FilterToken {
  if (/^[0-9]+$/.test(s)) {
    // A leading 0 means octal, as in C, but argus reads "08" as 8.
    const octal = s.length > 1 && s[0] === "0" && /^[0-7]+$/.test(s);
    return token("number", s, column, octal ? parseInt(s, 8) : Number(s));
  }
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) {
    return token("number", s, column, parseInt(s.slice(2), 16));
  }
  if (/^[0-9]+\.[0-9]+$/.test(s)) return token("float", s, column, Number(s));
  if (/^[0-9]+(\.[0-9]+){2,3}$/.test(s)) return token("ipv4", s, column);
  if (s.includes(":")) {
    return token(
      /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(s) ? "mac" : "ipv6",
      s,
      column,
    );
  }
  return token("word", s, column);
}
