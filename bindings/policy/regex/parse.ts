// Pattern source → regex IR. regexpp does the ECMAScript parsing (with Annex B, as
// browsers do); this file only maps its AST onto the few constructs a linear-time
// automaton runs — code point sets, concatenation, alternation, counted repetition and
// zero-width position tests — and rejects the rest with the offset of the construct.
// Flags are applied here: i closes sets under case pairs, s widens `.`, m picks the
// line forms of ^ and $.
import { RegExpParser, RegExpSyntaxError, type AST } from "@eslint-community/regexpp";
import { ANY, DIGIT, LINE_TERMINATORS, SPACE, WORD, complement, union, type CharSet } from "./charset.ts";
import { caseClose } from "./casefold.ts";
import { RegexCompileError, RegexErrorCode } from "./errors.ts";
import { ASSERT_BOL, ASSERT_EOL, ASSERT_EOT, ASSERT_NWB, ASSERT_SOT, ASSERT_WB } from "./program.ts";

export type RegexNode =
  | { t: "set"; set: CharSet }
  | { t: "cat"; items: RegexNode[] }
  | { t: "alt"; items: RegexNode[] }
  /** max = Infinity for unbounded; offset = the quantifier's offset (for WL_REGEX_TOO_LARGE) */
  | { t: "rep"; node: RegexNode; min: number; max: number; offset: number }
  | { t: "assert"; kind: number };

export interface RegexFlags {
  i: boolean;
  m: boolean;
  s: boolean;
  u: boolean;
}

export function parseFlags(flags: string): RegexFlags {
  const out: RegexFlags = { i: false, m: false, s: false, u: false };
  for (const f of flags) {
    if (!(f in out) || out[f as keyof RegexFlags]) {
      throw new RegexCompileError(RegexErrorCode.FLAGS, 0, `flag "${f}" is ${f in out ? "repeated" : "not supported (use i, m, s, u)"}`);
    }
    out[f as keyof RegexFlags] = true;
  }
  return out;
}

const parser = new RegExpParser({ ecmaVersion: 2025 });

/** Parses `source` with `flags` into the IR; throws RegexCompileError. */
export function parseRegex(source: string, flags: string): RegexNode {
  const f = parseFlags(flags);
  let pattern: AST.Pattern;
  try {
    pattern = parser.parsePattern(source, 0, source.length, { unicode: f.u, unicodeSets: false });
  } catch (e) {
    if (e instanceof RegExpSyntaxError) {
      const detail = e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "");
      throw new RegexCompileError(RegexErrorCode.SYNTAX, Math.max(0, Math.min(e.index, source.length)), detail);
    }
    throw e;
  }
  return alternatives(pattern.alternatives, f);
}

const LINEAR = "is not supported: matching must stay linear-time";
const BYTES = "is not supported: the input is UTF-8, write the character itself with the u flag";

function unsupported(node: AST.Node, what: string, why = LINEAR): never {
  throw new RegexCompileError(RegexErrorCode.UNSUPPORTED, node.start, `${what} ${why}`);
}

function alternatives(alts: AST.Alternative[], f: RegexFlags): RegexNode {
  const items = alts.map((a) => sequence(a.elements, f));
  return items.length === 1 ? items[0] : { t: "alt", items };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function sequence(elements: AST.Element[], f: RegexFlags): RegexNode {
  const items: RegexNode[] = [];
  for (let k = 0; k < elements.length; k++) {
    const el = elements[k];
    // Without u, a literal astral character arrives as two surrogate halves: rejoin them.
    if (el.type === "Character" && isHigh(el.value)) {
      const nx = elements[k + 1];
      if (nx && nx.type === "Character" && isLow(nx.value)) {
        const cp = 0x10000 + ((el.value - 0xd800) << 10) + (nx.value - 0xdc00);
        items.push(charNode(cp, f));
        k++;
        continue;
      }
    }
    items.push(element(el, f));
  }
  return items.length === 1 ? items[0] : { t: "cat", items };
}

function charNode(cp: number, f: RegexFlags): RegexNode {
  const set: CharSet = [[cp, cp]];
  return { t: "set", set: f.i ? caseClose(set) : set };
}

function element(el: AST.Element, f: RegexFlags): RegexNode {
  switch (el.type) {
    case "Character":
      if (el.value >= 0xd800 && el.value <= 0xdfff) unsupported(el, "a lone surrogate", BYTES);
      return charNode(el.value, f);
    case "CharacterSet":
      return { t: "set", set: charSet(el, f) };
    case "CharacterClass":
      return { t: "set", set: charClass(el, f) };
    case "Group":
      if (el.modifiers) unsupported(el, "a modifier group (?ims-ims:…)", "is not supported: set flags on the whole pattern");
      return alternatives(el.alternatives, f);
    case "CapturingGroup":
      return alternatives(el.alternatives, f); // captures are not reported: same as (?:…)
    case "Quantifier":
      return { t: "rep", node: element(el.element, f), min: el.min, max: el.max, offset: el.start };
    case "Assertion":
      switch (el.kind) {
        case "start": return { t: "assert", kind: f.m ? ASSERT_BOL : ASSERT_SOT };
        case "end": return { t: "assert", kind: f.m ? ASSERT_EOL : ASSERT_EOT };
        case "word": return { t: "assert", kind: el.negate ? ASSERT_NWB : ASSERT_WB };
        case "lookahead": return unsupported(el, el.negate ? "negative lookahead (?!…)" : "lookahead (?=…)");
        case "lookbehind": return unsupported(el, el.negate ? "negative lookbehind (?<!…)" : "lookbehind (?<=…)");
      }
      break;
    case "Backreference":
      return unsupported(el, el.raw.startsWith("\\k") ? "a named backreference \\k<…>" : "a backreference \\N");
  }
  return unsupported(el, `"${(el as AST.Node).raw}"`, "is not supported");
}

function charSet(el: AST.CharacterSet, f: RegexFlags): CharSet {
  switch (el.kind) {
    case "any": return f.s ? ANY : complement(LINE_TERMINATORS);
    case "digit": return el.negate ? complement(DIGIT) : DIGIT;
    case "space": return el.negate ? complement(SPACE) : SPACE;
    case "word": return el.negate ? complement(WORD) : WORD;
    default: return unsupported(el, "a Unicode property escape \\p{…}", "is not supported: list the ranges in a class");
  }
}

function charClass(el: AST.CharacterClass, f: RegexFlags): CharSet {
  const parts: CharSet[] = [];
  for (const m of el.elements) {
    switch (m.type) {
      case "Character":
        if (m.value >= 0xd800 && m.value <= 0xdfff) unsupported(m, "a surrogate in a class", BYTES);
        parts.push(f.i ? caseClose([[m.value, m.value]]) : [[m.value, m.value]]);
        break;
      case "CharacterClassRange":
        parts.push(f.i ? caseClose([[m.min.value, m.max.value]]) : [[m.min.value, m.max.value]]);
        break;
      case "CharacterSet":
        parts.push(charSet(m, f));
        break;
      default:
        unsupported(m, "a set operation or string in a class", "is not supported (flag v)");
    }
  }
  const set = union(...parts);
  return el.negate ? complement(set) : set;
}

/** Can the node match without consuming a byte? (assertions counted as passable) */
export function nullable(n: RegexNode): boolean {
  switch (n.t) {
    case "set": return false;
    case "assert": return true;
    case "cat": return n.items.every(nullable);
    case "alt": return n.items.some(nullable);
    case "rep": return n.min === 0 || nullable(n.node);
  }
}
