const marker = Symbol.for('@thaw/weights.WeightsFileError');

/**
 * Thrown when a weights file cannot be read back as written: a missing or truncated binary, a
 * checksum mismatch, an unreadable manifest, or tensors that do not match what the caller expects.
 *
 * `path` names the file at fault. Use {@link WeightsFileError.isInstance} rather than `instanceof`:
 * it also recognises errors thrown by another installed copy of `@thaw/weights`.
 */
export class WeightsFileError extends Error {
  readonly [marker] = true;
  /** The file at fault (manifest or binary). */
  readonly path: string;

  constructor(message: string, path: string) {
    super(message);
    this.name = 'WeightsFileError';
    this.path = path;
  }

  /** True for any `WeightsFileError`, whichever copy of the package threw it. */
  static isInstance(error: unknown): error is WeightsFileError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
