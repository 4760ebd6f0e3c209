// Where the DCC Reference Test Data Set lives. Tests read it at run time from $OPENDCC_FIXTURES
// (default ../shared/fixtures beside the repository) and never copy it into the repository.
// Without it, fixture-backed suites skip with one line saying why, unless
// OPENDCC_REQUIRE_FIXTURES=1 (set by .ci/run), where a missing set is an error.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export const fixturesDir = resolve(repositoryRoot, process.env.OPENDCC_FIXTURES ?? "../shared/fixtures");
/** The shared reference facts (rtds-index.json, gbcs-message-codes.json, ...) beside the fixtures. */
export const referenceDir = resolve(fixturesDir, process.env.OPENDCC_REFERENCE ?? "../reference");
export const hasFixtures = ["rtds", "keystore", "duis"].every((dir) => existsSync(join(fixturesDir, dir))) && existsSync(referenceDir);
export const fixturesMissing = `fixture-backed suites skipped: no DCC Reference Test Data Set at ${fixturesDir} with ${referenceDir} beside it (set OPENDCC_FIXTURES)`;

if (!hasFixtures && process.env.OPENDCC_REQUIRE_FIXTURES === "1") {
  throw new Error(`OPENDCC_REQUIRE_FIXTURES=1 but ${fixturesMissing.replace("fixture-backed suites skipped: ", "")}`);
}

/** `describe` for suites that need the fixtures: skipped (with the reason) when they are absent. */
export const describeWithFixtures = hasFixtures ? describe : describe.skip;

export const keystoreDir = join(fixturesDir, "keystore");
export const rtdsDir = join(fixturesDir, "rtds");

export interface RtdsVector {
  /** Path relative to rtds/, e.g. 1.1.1_ECS01a/ECS01a_..._COMMAND_GBCS.HEX */
  readonly file: string;
  readonly kind: "COMMAND" | "PRECOMMAND" | "RESPONSE" | "ALERT";
  readonly hex: string;
}

/** Every RTDS vector, sorted by path. */
export function rtdsVectors(): RtdsVector[] {
  if (!hasFixtures) return [];
  const vectors: RtdsVector[] = [];
  for (const folder of readdirSync(rtdsDir).sort()) {
    for (const name of readdirSync(join(rtdsDir, folder)).sort()) {
      const kind = /_(COMMAND|PRECOMMAND|RESPONSE|ALERT)_/.exec(name.replace(/_ALERT_.*$/, "_ALERT_"))?.[1];
      if (!name.endsWith(".HEX") || !kind) continue;
      vectors.push({ file: `${folder}/${name}`, kind: kind as RtdsVector["kind"], hex: readFileSync(join(rtdsDir, folder, name), "utf8").trim() });
    }
  }
  return vectors;
}

/** The keystore folder's files as the KeyRing wants them. */
export function keystoreFiles(): { name: string; text: string }[] {
  if (!hasFixtures) return [];
  return readdirSync(keystoreDir).sort().map((name) => ({ name, text: readFileSync(join(keystoreDir, name), "utf8") }));
}

/** Device-to-device messages (PPMID -> GSME) whose MAC keys no keystore holds (gbcs.md section 6). */
export const isDeviceToDevice = (file: string): boolean => /^NA_PCS0[12]\//.test(file);
