// JSON Lines out, one object per input, and the exit codes of cli-contract.md:
// 0 every input ok, 1 any input not ok, 2 bad usage.

export class UsageError extends Error {}

export type Line = { readonly file: string; readonly ok: boolean; readonly error?: string } & Record<string, unknown>;

export class Report {
  private failures = 0;

  emit(line: Line): void {
    if (!line.ok) this.failures++;
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }

  get exitCode(): number {
    return this.failures > 0 ? 1 : 0;
  }
}
