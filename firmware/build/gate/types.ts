// What the subset gate reports. Rule names are stable: tests, lint messages and build
// reports refer to them, so rename one only together with all of those.

export type GateRule =
  | "parse-error"
  | "destructuring"
  | "rest-spread"
  | "default-parameter"
  | "optional-chaining"
  | "exponent-operator"
  | "async-await"
  | "generator"
  | "labelled-jump"
  | "bigint-literal"
  | "class-static-block"
  | "private-member"
  | "extends-error"
  | "inherited-static-call"
  | "loop-closure-capture"
  | "tagged-template"
  | "new-target"
  | "import-meta"
  | "dynamic-import"
  | "regex-counted-quantifier"
  | "regex-group-syntax"
  | "regex-flag"
  | "unsafe-integer-literal"
  | "missing-global"
  | "missing-builtin-member"
  | "missing-method"
  | "object-create-two-args"
  | "arraybuffer-slice";

export interface GateViolation {
  rule: string;
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based, as editors show it. */
  column: number;
}
