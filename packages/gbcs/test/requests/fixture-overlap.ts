// How much of a test request's body comes from the DCC Reference Test Data Set, which is read at
// test time and never copied into the repository: long base64/hex values found in a fixture file,
// and runs of body lines shared with a fixture sample. Element names, the XML declaration,
// namespaces and the header are DUIS boilerplate and not counted.

/** The trimmed, non-empty lines of a request's `sr:Body` (none for an absent or empty body). */
export function bodyLines(xml: string): string[] {
  const body = /<sr:Body>([\s\S]*?)<\/sr:Body>/.exec(xml)?.[1] ?? "";
  return body.split("\n").map((line) => line.trim()).filter((line) => line !== "");
}

/** Base64 or hex runs of 24 or more characters in text values (certificates, hashes, keys). */
export function longRuns(text: string): string[] {
  return [...text.matchAll(/>([^<>]+)</g)].flatMap(([, value]) => (value as string).match(/[A-Za-z0-9+/=]{24,}/g) ?? []);
}

const base64ToHex = (run: string): string | undefined =>
  /^[A-Za-z0-9+/]+={0,2}$/.test(run) && run.length % 4 === 0 ? Buffer.from(run, "base64").toString("hex").toUpperCase() : undefined;

/** Everything in the fixture files a copied run could be: the text upper-cased, and the hex of its base64 runs. */
export class FixtureText {
  private readonly text: string;

  constructor(files: readonly string[]) {
    const decoded = files.flatMap((file) => longRuns(file).map(base64ToHex).filter((hex) => hex !== undefined));
    this.text = [...files.map((file) => file.replace(/\s+/g, "").toUpperCase()), ...decoded].join("\n");
  }

  /** Whether a run occurs in a fixture, as it is or decoded from base64. */
  has(run: string): boolean {
    const decoded = base64ToHex(run);
    return this.text.includes(run.toUpperCase()) || (decoded !== undefined && decoded.length >= 24 && this.text.includes(decoded));
  }
}

const carriesValue = (line: string) => />[^<]+</.test(line) || /\s[\w:]+="/.test(line);

interface Block {
  readonly inBody: number;
  readonly inSample: number;
  readonly size: number;
}

/** The longest run of lines that body[bodyFrom, bodyTo) and sample[sampleFrom, sampleTo) have in common. */
function longestBlock(body: readonly string[], where: ReadonlyMap<string, number[]>, bodyFrom: number, bodyTo: number, sampleFrom: number, sampleTo: number): Block {
  let best: Block = { inBody: bodyFrom, inSample: sampleFrom, size: 0 };
  let runsEndingAt = new Map<number, number>();
  for (let line = bodyFrom; line < bodyTo; line++) {
    const next = new Map<number, number>();
    for (const at of where.get(body[line] as string) ?? []) {
      if (at < sampleFrom || at >= sampleTo) continue;
      const size = (runsEndingAt.get(at - 1) ?? 0) + 1;
      next.set(at, size);
      if (size > best.size) best = { inBody: line - size + 1, inSample: at - size + 1, size };
    }
    runsEndingAt = next;
  }
  return best;
}

/**
 * The lines of `body` that an in-order, one-to-one alignment with `sample` puts in common runs of
 * 3 or more lines (longest run first, then the same on either side of it, as a diff would), and
 * how many of those carry a value (text or attribute) rather than structure.
 */
export function sharedRuns(body: readonly string[], sample: readonly string[]): { lines: number; values: number } {
  const where = new Map<string, number[]>();
  sample.forEach((line, at) => where.set(line, [...(where.get(line) ?? []), at]));
  const shared: number[] = [];
  const ranges: (readonly [number, number, number, number])[] = [[0, body.length, 0, sample.length]];
  for (let range = ranges.pop(); range; range = ranges.pop()) {
    const [bodyFrom, bodyTo, sampleFrom, sampleTo] = range;
    const block = longestBlock(body, where, bodyFrom, bodyTo, sampleFrom, sampleTo);
    if (block.size === 0) continue;
    if (block.size >= 3) for (let line = block.inBody; line < block.inBody + block.size; line++) shared.push(line);
    ranges.push([bodyFrom, block.inBody, sampleFrom, block.inSample], [block.inBody + block.size, bodyTo, block.inSample + block.size, sampleTo]);
  }
  return { lines: shared.length, values: shared.filter((line) => carriesValue(body[line] as string)).length };
}
