const marker = Symbol.for('@thaw/trainer.UsageError');

/** A bad command line (unknown source, missing option …): the CLI exits with code 2. */
export class UsageError extends Error {
  readonly [marker] = true;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
  static isInstance(error: unknown): error is UsageError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
