/**
 * The server clock. Every expiry (tokens, OTP codes, rate-limit windows) and every timestamp
 * reads it, so the `/__conformance__/clock` hook can move time forward and the suite can test
 * "valid 5 minutes" without waiting five minutes.
 */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(seconds: number): void {
    this.offsetMs += Math.round(seconds * 1000);
  }

  iso(ms: number = this.now()): string {
    return new Date(ms).toISOString();
  }
}
