/**
 * A compensated running sum (Neumaier's variant of Kahan summation): the error stays near one
 * rounding of the total whatever the number of terms, so sums over millions of samples match
 * scikit-learn's pairwise summation to ~1e-15.
 */
export class NeumaierSum {
  private sum = 0;
  private compensation = 0;

  /** Adds `value` to the sum. */
  add(value: number): void {
    const total = this.sum + value;
    if (!Number.isFinite(total)) {
      // An infinite term (e.g. log 0 with eps = 0) makes the sum infinite; no compensation applies.
      this.sum = total;
      return;
    }
    if (Math.abs(this.sum) >= Math.abs(value)) {
      this.compensation += this.sum - total + value;
    } else {
      this.compensation += value - total + this.sum;
    }
    this.sum = total;
  }

  /** The compensated sum so far. */
  value(): number {
    return Number.isFinite(this.sum) ? this.sum + this.compensation : this.sum;
  }
}
