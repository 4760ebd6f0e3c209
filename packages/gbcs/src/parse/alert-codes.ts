// GBCS alert codes: the 16-bit codes of GBCS's alert and event tables, carried by DLMS, GBZ and
// ASN.1 alerts alike and used as event codes in device event logs (ESME and ZigBee). One table for
// all three families: what each code means, in our own short words, and the Annex 5 Table 5.4 row
// (../shared/reference/alerts.json, `A1`..`A35`) of the same alert where that indicative list has
// it (test/parse-alert-codes.test.ts checks every row against this table). Unknown codes still
// parse: they are reported with a null meaning.

export interface AlertMeaning {
  readonly meaning: string;
  /** The Annex 5 Table 5.4 row label of the same alert, when it has one. */
  readonly annex5: string | null;
}

/** A code for the whole meter and the three per-phase codes after it (GBCS numbers them so). */
function withPhases(code: number, meaning: (where: string) => string, annex5?: string, phaseAnnex5?: string): [number, string, (string | undefined)?][] {
  return [1, 2, 3].reduce<[number, string, (string | undefined)?][]>(
    (rows, phase) => [...rows, [code + phase, meaning(` on phase ${phase}`), phaseAnnex5]],
    [[code, meaning(""), annex5]],
  );
}

const TABLE: readonly (readonly [number, string, (string | undefined)?])[] = [
  // Voltage quality (ESME): the average RMS voltage crossing its thresholds, and the RMS voltage
  // staying past a threshold for longer than the configured period (then returning).
  ...withPhases(0x8002, (p) => `Average RMS voltage rose above the average RMS over-voltage threshold${p}`, "A15", "A30"),
  ...withPhases(0x8006, (p) => `Average RMS voltage fell below the average RMS under-voltage threshold${p}`, "A16", "A31"),
  ...withPhases(0x8020, (p) => `RMS voltage stayed above the extreme over-voltage threshold${p} for the configured period`, "A17", "A32"),
  ...withPhases(0x8024, (p) => `RMS voltage stayed above the voltage swell threshold${p} for the configured period`, "A19", "A34"),
  ...withPhases(0x8028, (p) => `RMS voltage stayed below the extreme under-voltage threshold${p} for the configured period`, "A18", "A33"),
  ...withPhases(0x802c, (p) => `RMS voltage stayed below the voltage sag threshold${p} for the configured period`, "A20", "A35"),
  ...withPhases(0x8085, (p) => `Average RMS voltage fell back below the average RMS over-voltage threshold${p}`),
  ...withPhases(0x8089, (p) => `Average RMS voltage rose back above the average RMS under-voltage threshold${p}`),
  ...withPhases(0x808d, (p) => `RMS voltage returned below the extreme over-voltage threshold${p} for the configured period`),
  ...withPhases(0x8091, (p) => `RMS voltage returned below the voltage swell threshold${p} for the configured period`),
  ...withPhases(0x8095, (p) => `RMS voltage returned above the extreme under-voltage threshold${p} for the configured period`),
  ...withPhases(0x8099, (p) => `RMS voltage returned above the voltage sag threshold${p} for the configured period`),
  [0x8010, "Current above the over-current threshold"],
  [0x8011, "Current above the over-current threshold on line 1"],
  [0x8013, "Current above the over-current threshold on line 3"],
  [0x8014, "Power factor below its threshold"],
  [0x8015, "Power factor back within its threshold"],
  [0x8071, "The gas proxy function's device log changed"],
  [0x810d, "Combined credit below the low credit threshold (prepayment mode)", "A10"],
  [0x810e, "Credit added locally", "A23"],
  [0x8119, "Emergency credit available (prepayment mode)", "A9"],
  [0x8145, "Clock adjusted, within tolerance"],
  [0x8154, "A HAN interface command was received and carried out"],
  [0x8155, "A HAN interface command was received but not carried out"],
  [0x8161, "A command entered on the user interface was carried out"],
  [0x8162, "A command entered on the user interface was not carried out"],
  [0x8168, "Supply disabled, then armed, after emergency credit was activated"],
  [0x8183, "A device joined the smart metering HAN"],
  [0x8184, "Valve tested"],
  [0x819d, "The gas meter did not collect a command from the gas proxy function"],
  [0x819e, "A tap-off message response or alert failed"],
  [0x81a0, "Smart meter integrity issue (warning)"],
  [0x81a1, "Battery cover closed"],
  [0x81a2, "Communications hub connected to the ESME"],
  [0x81a3, "Communications hub disconnected from the ESME"],
  [0x81a4, "A close-tunnel command was rejected"],
  [0x81a5, "Communication through a local port (for example optical)"],
  [0x81a6, "The customer acknowledged a message on a HAN device"],
  [0x81a7, "Time-based debt 1 fully collected"],
  [0x81a8, "Time-based debt 2 fully collected"],
  [0x81a9, "Payment-based debt fully collected"],
  [0x81aa, "Emergency credit used up"],
  [0x81ab, "Emergency credit activated"],
  [0x81ac, "Measurement fault"],
  [0x81ad, "Metrology firmware failed verification"],
  [0x81ae, "Non-volatile memory error"],
  [0x81af, "Program execution error"],
  [0x81b0, "Program storage error"],
  [0x81b1, "RAM error"],
  [0x81b2, "Unexpected hardware reset"],
  [0x81b3, "Watchdog error"],
  [0x81b4, "Gas flow beyond the meter's capacity"],
  [0x81b5, "The flow sensor detects air in the gas flow"],
  [0x81b6, "The flow sensor detects gas flowing in reverse"],
  [0x81b7, "Phases connected in the wrong sequence"],
  [0x81b8, "Wrong polarity"],
  [0x81b9, "Meter cover closed"],
  [0x81ba, "A request-tunnel command was rejected"],
  [0x81bb, "Reverse current"],
  [0x81bc, "Strong magnetic field no longer present"],
  [0x81bd, "Supply could not be connected (valve or load switch)"],
  [0x81be, "Supply disabled, then locked, because of the supply tamper state"],
  [0x81bf, "Supply disabled, then armed, because of an uncontrolled gas flow rate"],
  [0x81c0, "Supply could not be disconnected (valve or load switch)"],
  [0x81c1, "Terminal cover closed"],
  [0x81c2, "Tilt tamper ended"],
  [0x81c3, "Tilt tamper"],
  [0x81c4, "Manual UTRN entry suspended"],
  [0x81c5, "UTRN rejected: entry is locked out"],
  [0x81c6, "Clock not adjusted: outside tolerance"],
  [0x8f01, "Active power import above the load limit threshold", "A6"],
  [0x8f0a, "The billing data log was updated", "A13"],
  [0x8f0c, "Clock not adjusted: adjustment over 10 seconds"],
  [0x8f0f, "Credit below the disablement threshold (prepayment mode): supply disabled", "A11"],
  [0x8f12, "The communications hub's device log changed"],
  [0x8f1b, "Firmware failed verification at power on"],
  [0x8f1c, "Firmware failed verification"],
  [0x8f1d, "The gas meter lost its power supply"],
  [0x8f1e, "A command failed its content or format integrity check"],
  [0x8f1f, "Low battery capacity", "A5"],
  [0x8f20, "Sub-GHz: limited duty cycle action taken"],
  [0x8f21, "Sub-GHz: duty cycle fell below the normal-limited threshold"],
  [0x8f22, "Sub-GHz: critical duty cycle action taken"],
  [0x8f23, "Sub-GHz: duty cycle fell below the limited-critical threshold"],
  [0x8f24, "Sub-GHz: regulated duty cycle action taken"],
  [0x8f25, "Sub-GHz: duty cycle fell below the critical-regulated threshold"],
  [0x8f26, "Sub-GHz: channel changed"],
  [0x8f27, "Sub-GHz: channel scan started"],
  [0x8f28, "Sub-GHz: outcome of the assessment of a channel scan request"],
  [0x8f29, "Three searches for a lost gas meter failed"],
  [0x8f2a, "Sub-GHz: configuration changed"],
  [0x8f2b, "Sub-GHz: channel kept because of the frequency agility parameters"],
  [0x8f2c, "Sub-GHz: message discarded to manage the duty cycle"],
  [0x8f2d, "Sub-GHz: no capacity for more devices"],
  [0x8f30, "The source does not have permission for the command", "A4"],
  [0x8f32, "Supply armed", "A28"],
  [0x8f33, "Supply disabled then armed: load limit triggered", "A7"],
  // Annex 5 lists "Supply Enabled" (A8) after the two load-limit alerts (A6, A7): this is it.
  [0x8f34, "Supply enabled after the load limit restoration period", "A8"],
  [0x8f35, "Supply outage restored", "A24"],
  [0x8f36, "Supply outage restored: the outage lasted 3 minutes or more", "A25"],
  [0x8f37, "Supply outage on phase 1 restored", "A29"],
  [0x8f38, "Supply outage on phase 1 restored: the outage lasted 3 minutes or more", "A29"],
  [0x8f39, "Supply outage on phase 2 restored", "A29"],
  [0x8f3a, "Supply outage on phase 2 restored: the outage lasted 3 minutes or more", "A29"],
  [0x8f3b, "Supply outage on phase 3 restored", "A29"],
  [0x8f3c, "Supply outage on phase 3 restored: the outage lasted 3 minutes or more", "A29"],
  [0x8f3d, "Trusted source authentication failure", "A2"],
  [0x8f3e, "Unauthorised communication access attempted", "A14"],
  [0x8f3f, "Unauthorised physical access: tamper detected", "A1"],
  [0x8f43, "The firmware version running changed"],
  [0x8f47, "The credit would take the meter balance above the maximum meter balance threshold"],
  [0x8f48, "A device failed to join"],
  [0x8f49, "A device joined"],
  [0x8f4a, "A device failed to unjoin"],
  [0x8f4b, "A device unjoined"],
  [0x8f4c, "Replacing the device's own digital signing certificate failed"],
  [0x8f4d, "Replacing the device's own digital signing certificate succeeded"],
  [0x8f4e, "Replacing the device's own key agreement certificate failed"],
  [0x8f4f, "Replacing the device's own key agreement certificate succeeded"],
  [0x8f51, "A UTRN was entered twice"],
  [0x8f52, "The event log was cleared"],
  [0x8f53, "Authentication or authorisation failed (no more specific code applies)"],
  [0x8f57, "Supply interrupted (power loss)", "A21"],
  [0x8f58, "Supply interrupted on phase 1"],
  [0x8f59, "Supply interrupted on phase 2"],
  [0x8f5a, "Supply interrupted on phase 3"],
  [0x8f5b, "A UTRN exceeds the maximum credit threshold"],
  [0x8f60, "Unusual numbers of malformed, out-of-order or unexpected commands received"],
  [0x8f63, "A UTRN is not authentic"],
  [0x8f64, "A UTRN is for another device"],
  [0x8f66, "A future-dated command was carried out successfully"],
  [0x8f67, "A future-dated command was not carried out successfully"],
  [0x8f69, "Device commissioned"],
  [0x8f70, "Security credentials updated"],
  [0x8f72, "Firmware verified successfully (firmware distribution receipt)"],
  [0x8f73, "Unauthorised physical access: battery cover removed", "A1"],
  [0x8f74, "Unauthorised physical access: meter cover removed", "A1"],
  [0x8f75, "Unauthorised physical access: strong magnetic field", "A1"],
  [0x8f76, "Unauthorised physical access: terminal cover removed", "A1"],
  [0x8f77, "Unauthorised physical access: second terminal cover removed", "A1"],
  [0x8f78, "Unauthorised physical access: other", "A1"],
  [0x8f82, "Remaining battery capacity reset"],
  [0x8f83, "Disablement of supply for lack of credit suspended", "A12"],
  [0x8f84, "A remote party's message could not be delivered to the ESME"],
  [0x8f85, "Alert of use case ECS100 (no published name)"],
  [0x8f86, "Alert of use case ECS101 (no published name)"],
  [0x8f87, "Alert of use case ECS102 (no published name)"],
  [0x8f88, "Alert of use case ECS200 (no published name)"],
  [0x8f89, "Firmware transfer failed"],
  [0x8f8a, "Firmware transfer succeeded"],
  [0x8f8b, "Firmware version read (alert)"],
];

const BY_CODE = new Map<number, AlertMeaning>(TABLE.map(([code, meaning, annex5]) => [code, { meaning, annex5: annex5 ?? null }]));

export function alertMeaning(code: number): AlertMeaning | undefined {
  return BY_CODE.get(code);
}

/** Every code the table names, with its meaning (for checks against the Annex 5 list). */
export function alertCodes(): ReadonlyMap<number, AlertMeaning> {
  return BY_CODE;
}

/** An alert code as GBCS writes it: 0x8F66. */
export function formatAlertCode(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(4, "0")}`;
}
