// WIT source files and the errors that point into them. Every error of the WIT layer names the
// file, line and column (1-based, columns counted in code points) so that a user can jump to it.

/** One WIT file: its name (a path, for messages) and its text. */
export class SourceFile {
  private lineStarts?: number[];
  constructor(readonly name: string, readonly text: string) {}

  /** 1-based line and column of a UTF-16 offset. */
  position(offset: number): { line: number; column: number } {
    const starts = (this.lineStarts ??= lineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    const column = [...this.text.slice(starts[lo], offset)].length + 1;
    return { line: lo + 1, column };
  }

  /** The text of the line containing offset (without its newline). */
  lineText(offset: number): string {
    const start = this.text.lastIndexOf('\n', offset - 1) + 1;
    const end = this.text.indexOf('\n', offset);
    return this.text.slice(start, end < 0 ? this.text.length : end).replace(/\r$/, '');
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** A range of a source file. */
export interface Span {
  readonly file: SourceFile;
  readonly start: number;
  readonly end: number;
}

/**
 * A malformed or unresolvable WIT document. The message starts with `file:line:column:`;
 * `excerpt` is the offending line with a caret under the column, for multi-line reports.
 */
export class WitError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly excerpt?: string;
  constructor(message: string, span?: Span) {
    if (span === undefined) {
      super(message);
    } else {
      const { line, column } = span.file.position(span.start);
      super(`${span.file.name}:${line}:${column}: ${message}`);
      this.file = span.file.name;
      this.line = line;
      this.column = column;
      const text = span.file.lineText(span.start);
      this.excerpt = `${text}\n${' '.repeat(Math.max(0, column - 1))}^`;
    }
    this.name = 'WitError';
  }
}
