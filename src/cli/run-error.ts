// The one-line errors of `kasane run` (exit status 1): a subject (file or option) and a reason.

export class RunError extends Error {
  constructor(readonly subject: string | undefined, message: string) { super(message); }
}

export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
