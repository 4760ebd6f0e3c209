// What an emulated device is (seed 003 paragraphs 167-194; GBCS device types): kinds, supply and
// payment states, WAN states, and the remote-party roles a device knows its trust anchors by.
/** Device kinds, numbered for the estate's typed arrays (0 = empty slot). */
export const KINDS = ["", "ESME", "GSME", "CHF", "GPF", "PPMID", "HCALCS", "IHD", "CAD"] as const;
export type DeviceKind = Exclude<(typeof KINDS)[number], "">;
export const kindCode = (kind: DeviceKind): number => KINDS.indexOf(kind);
export const kindOf = (code: number): DeviceKind | null => (code > 0 && code < KINDS.length ? (KINDS[code] as DeviceKind) : null);

/** Load switch / valve (GBCS: enabled = closed, disabled = open, armed = waiting for the consumer). */
export const SUPPLY = ["enabled", "disabled", "armed"] as const;
export type SupplyState = (typeof SUPPLY)[number];

export const PAYMENT = ["credit", "prepayment"] as const;
export type PaymentMode = (typeof PAYMENT)[number];

/** A hub's WAN: connected, none (nothing gets through) or intermittent (some commands are lost). */
export const WAN = ["connected", "none", "intermittent"] as const;
export type WanState = (typeof WAN)[number];

/** Remote party role codes as SMKI certificates carry them in OU (gbcs.md section 12). */
export const ROLE = {
  recovery: "01", supplier: "02", networkOperator: "03", accessControlBroker: "04", transitionalCoS: "05",
  wanProvider: "06", loadController: "08",
} as const;
export type RoleCode = (typeof ROLE)[keyof typeof ROLE];

/** Device types as the ASN.1 device-log entries number them (CS07, CS03, GCS59). */
export const ASN1_DEVICE_TYPE: Readonly<Record<DeviceKind, number>> = {
  GSME: 0, ESME: 1, CHF: 2, GPF: 3, HCALCS: 4, PPMID: 5, IHD: 6, CAD: 6,
};
export const kindOfAsn1Type = (code: number): DeviceKind | null =>
  (Object.entries(ASN1_DEVICE_TYPE).find(([, value]) => value === code)?.[0] as DeviceKind | undefined) ?? null;
