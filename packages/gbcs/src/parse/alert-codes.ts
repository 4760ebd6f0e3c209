// GBCS alert codes (the 16-bit codes of GBCS's alert and event tables, also the event codes in
// device event logs) -> what they mean, in our own words, and the Annex 5 Table 5.4 row
// (../shared/reference/alerts.json, `A1`..`A35`) where the same alert is listed there.
// Unknown codes still parse: they are reported with a null meaning.

export interface AlertMeaning {
  readonly meaning: string;
  /** The Annex 5 Table 5.4 row label of the same alert, when it has one. */
  readonly annex5: string | null;
}

const TABLE: readonly (readonly [number, string, string?])[] = [
  [0x8002, "Average RMS voltage rose above the average RMS over-voltage threshold", "A15"],
  [0x8003, "Average RMS voltage rose above the average RMS over-voltage threshold on phase 1", "A30"],
  [0x8004, "Average RMS voltage rose above the average RMS over-voltage threshold on phase 2", "A30"],
  [0x8005, "Average RMS voltage rose above the average RMS over-voltage threshold on phase 3", "A30"],
  [0x8006, "Average RMS voltage fell below the average RMS under-voltage threshold", "A16"],
  [0x8007, "Average RMS voltage fell below the average RMS under-voltage threshold on phase 1", "A31"],
  [0x8008, "Average RMS voltage fell below the average RMS under-voltage threshold on phase 2", "A31"],
  [0x8009, "Average RMS voltage fell below the average RMS under-voltage threshold on phase 3", "A31"],
  [0x8010, "Current above the over-current threshold"],
  [0x8020, "RMS voltage stayed above the extreme over-voltage threshold for the configured period", "A17"],
  [0x8024, "RMS voltage stayed above the voltage swell threshold for the configured period", "A19"],
  [0x8028, "RMS voltage stayed below the extreme under-voltage threshold for the configured period", "A18"],
  [0x802c, "RMS voltage stayed below the voltage sag threshold for the configured period", "A20"],
  [0x8071, "The gas proxy function's device log changed"],
  [0x810d, "Combined credit fell below the low credit threshold (prepayment mode)", "A10"],
  [0x810e, "Credit was added locally", "A23"],
  [0x8119, "Emergency credit became available (prepayment mode)", "A9"],
  [0x8145, "Clock adjusted, within tolerance"],
  [0x8154, "A HAN interface command was received and carried out"],
  [0x8155, "A HAN interface command was received but not carried out"],
  [0x8161, "A command entered on the user interface was carried out"],
  [0x8162, "A command entered on the user interface was not carried out"],
  [0x8168, "Supply disabled, then armed, after emergency credit was activated"],
  [0x8183, "A device joined the smart metering HAN"],
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
  [0x81b9, "Meter cover closed"],
  [0x81ba, "A request-tunnel command was rejected"],
  [0x81bb, "Reverse current"],
  [0x81bc, "Strong magnetic field no longer present"],
  [0x81bd, "Supply could not be connected (valve or load switch)"],
  [0x81c0, "Supply could not be disconnected (valve or load switch)"],
  [0x81c1, "Terminal cover closed"],
  [0x81c6, "Clock not adjusted: outside tolerance"],
  [0x8f01, "Active power import above the load limit threshold", "A6"],
  [0x8f0a, "The billing data log was updated", "A13"],
  [0x8f0c, "Clock not adjusted: adjustment over 10 seconds"],
  [0x8f0f, "Credit fell below the disablement threshold and supply was disabled (prepayment mode)", "A11"],
  [0x8f12, "The communications hub's device log changed"],
  [0x8f1c, "Firmware failed verification"],
  [0x8f1f, "Battery capacity is low", "A5"],
  [0x8f20, "Sub-GHz: limited duty cycle action taken"],
  [0x8f26, "Sub-GHz: channel changed"],
  [0x8f28, "Sub-GHz: outcome of the assessment of a channel scan request"],
  [0x8f2a, "Sub-GHz: configuration changed"],
  [0x8f2c, "Sub-GHz: message discarded to manage the duty cycle"],
  [0x8f2d, "Sub-GHz: no capacity for more devices"],
  [0x8f30, "The sender has no authority for the command", "A4"],
  [0x8f32, "Supply armed", "A28"],
  [0x8f33, "Supply disabled, then armed, because the load limit was exceeded", "A7"],
  [0x8f34, "Supply enabled after the load limit restoration period"],
  [0x8f35, "Supply restored after an outage", "A24"],
  [0x8f36, "Supply restored after an outage of 3 minutes or more", "A25"],
  [0x8f3d, "A trusted source failed authentication", "A2"],
  [0x8f3e, "Unauthorised communication access attempted", "A14"],
  [0x8f3f, "Unauthorised physical access (tamper detected)", "A1"],
  [0x8f43, "The firmware version running changed"],
  [0x8f48, "A device failed to join"],
  [0x8f49, "A device joined"],
  [0x8f4a, "A device failed to unjoin"],
  [0x8f4b, "A device unjoined"],
  [0x8f51, "A UTRN was entered twice"],
  [0x8f52, "The event log was cleared"],
  [0x8f53, "Authentication or authorisation failed (no more specific code applies)"],
  [0x8f57, "Supply interrupted", "A21"],
  [0x8f5b, "A UTRN exceeds the maximum credit threshold"],
  [0x8f63, "A UTRN is not authentic"],
  [0x8f64, "A UTRN is for another device"],
  [0x8f66, "A future-dated command was carried out successfully"],
  [0x8f67, "A future-dated command was not carried out successfully"],
  [0x8f69, "Device commissioned"],
  [0x8f70, "Security credentials updated"],
  [0x8f72, "Firmware verified successfully (firmware distribution receipt)"],
  [0x8f83, "Disabling supply for lack of credit has been suspended", "A12"],
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

/** An alert code as GBCS writes it: 0x8F66. */
export function formatAlertCode(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(4, "0")}`;
}
