// The one GBCS alert-code table (parse/alert-codes.ts) against the Annex 5 Table 5.4 list
// (reference/alerts.json): every row is named by a code, or listed below with why it cannot be;
// each code's meaning agrees with its row's name; and DLMS and GBZ alerts both read the table.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "@opendcc/kernel";
import { parseGbcs } from "../src/parse/index.js";
import { alertCodes, formatAlertCode } from "../src/parse/alert-codes.js";
import { describeWithFixtures, referenceDir } from "../../../test/support/fixtures.js";

interface Annex5Row {
  readonly code: string;
  readonly name: string;
}

/** Rows no GBCS alert code stands for, with the reason. */
const UNNAMED_ROWS: Readonly<Record<string, string>> = {
  A3: "no GBCS alert code we can source stands for a command sent to the wrong device",
  A22: "no issuing device is marked; the supply-outage-restored codes are the CH's rows A24 and A25",
  A26: "the ALCS outcome alerts would be among ECS100-ECS102 (0x8F85-0x8F87), which GBCS publishes without names",
  A27: "as A26, for calendar-based changes",
};

/** Words of a row's name that say nothing by themselves. */
const FILLER = new Set(["than", "with", "from", "into"]);

const words = (text: string): string[] => text.toLowerCase().split(/[^a-z]+/).filter((word) => word.length >= 4 && !FILLER.has(word));

/** A row's name, with "N" (any phase) standing for the phase number. */
const keyWords = (name: string): string[] => words(name.replace(/ on Phase N/i, " on phase"));

describeWithFixtures("alert codes against Annex 5 Table 5.4", () => {
  const rows = (JSON.parse(readFileSync(join(referenceDir, "alerts.json"), "utf8")) as { alerts: Annex5Row[] }).alerts;
  const table = [...alertCodes()];

  it("names every row by a GBCS alert code, but for the rows listed with their reason", () => {
    const named = new Set(table.map(([, meaning]) => meaning.annex5));
    expect(rows.filter((row) => !named.has(row.code)).map((row) => row.code)).toEqual(Object.keys(UNNAMED_ROWS));
    expect(rows).toHaveLength(35);
  });

  it("gives each code the meaning of its row: every word of the row's name is in the code's meaning", () => {
    const byRow = new Map(rows.map((row) => [row.code, row.name]));
    const disagreeing = table.flatMap(([code, { meaning, annex5 }]) => {
      if (annex5 === null) return [];
      const name = byRow.get(annex5);
      if (name === undefined) return [`${formatAlertCode(code)}: no row ${annex5}`];
      const missing = keyWords(name).filter((word) => !words(meaning).includes(word));
      return missing.length > 0 ? [`${formatAlertCode(code)} (${annex5} "${name}"): "${meaning}" lacks ${missing.join(", ")}`] : [];
    });
    expect(disagreeing).toEqual([]);
    expect(table.filter(([, { annex5 }]) => annex5 !== null).length).toBeGreaterThanOrEqual(50);
  });

  it("would catch a meaning that disagrees", () => {
    expect(keyWords("Supply Outage on Phase N Restored").filter((word) => !words("Supply interrupted on phase 1").includes(word))).toEqual(["outage", "restored"]);
  });
});

describe("one alert table for every family", () => {
  const SUPPLIER = "90B3D51F30010000";
  const alert = (code: number, device: string, content: string) => {
    const bytes = content.replace(/ /g, "");
    return fromHex(`DF0903000000000000000108${device}08${SUPPLIER}0002${code.toString(16).padStart(4, "0")}${toHex(Uint8Array.of(bytes.length / 2))}${bytes}00`);
  };

  it("names a DLMS per-phase voltage alert with its Annex 5 row", async () => {
    const parsed = await parseGbcs(alert(0x1001, "00DB1234567890A0", "0F 20000001 00 02 02 12 8021 09 0C 07DF0101FF000000008000FF"));
    expect(parsed.payload.fields).toMatchObject({
      alertCode: "0x8021", alert: "RMS voltage stayed above the extreme over-voltage threshold on phase 1 for the configured period", annex5Alert: "A32",
      timestamp: "2015-01-01T00:00:00Z",
    });
  });

  it("names a gas-only GBZ alert code", async () => {
    const parsed = await parseGbcs(alert(0x1001, "00DB1234567890A1", "0109 00 81B4 1C35F900"));
    expect(parsed.payload.fields).toEqual({ alertCode: "0x81B4", alert: "Gas flow beyond the meter's capacity", timestamp: "2014-12-31T00:00:00Z", components: [] });
  });
});
