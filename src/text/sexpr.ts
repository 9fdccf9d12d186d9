// The text format as a tree of S-expressions: the lexer's tokens grouped by parentheses.
// Both the module parser (text/module.ts) and the script parser (text/script.ts) walk this tree.

export type TokenKind = 'keyword' | 'id' | 'num' | 'string' | 'reserved';

export interface Atom {
  readonly kind: 'atom';
  readonly token: TokenKind;
  /** Source text of the token (for strings: including the quotes; for ids: including `$`). */
  readonly text: string;
  /** Character offset in the source. */
  readonly pos: number;
  /** For strings: the decoded bytes. For ids written `$"..."`: the name's UTF-8 bytes. */
  readonly bytes?: Uint8Array;
}

export interface List {
  readonly kind: 'list';
  readonly items: SExpr[];
  /** Character offset of the opening parenthesis. */
  readonly pos: number;
  /** Annotations `(@custom ...)` found directly inside this list, kept for custom sections; other annotations are dropped. */
  readonly annotations?: List[];
}

export type SExpr = Atom | List;
