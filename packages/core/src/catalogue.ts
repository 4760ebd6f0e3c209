// The service catalogue: one entry per Service Reference Variant, as product data
// (catalogue-data.ts, generated from the shared reference). Where Annex 5 and DUIS disagree on
// message behaviour DUIS wins; Annex 5 gives policy (roles, target times) where DUIS is silent.

/** DUIS user role codes (duis.md 1.1; Annex 5 names in ANNEX5_ROLE_NAMES). */
export type RoleCode = "IS" | "ES" | "GS" | "RSA" | "ED" | "GT" | "OU";
export const ROLE_CODES: readonly RoleCode[] = ["IS", "ES", "GS", "RSA", "ED", "GT", "OU"];

export const ANNEX5_ROLE_NAMES: Record<RoleCode, string> = {
  IS: "Import Supplier (EIS)",
  ES: "Export Supplier (EES)",
  GS: "Gas Supplier (GIS)",
  RSA: "Registered Supplier Agent (SNA)",
  ED: "Electricity Network Operator (ENO)",
  GT: "Gas Transporter (GNO)",
  OU: "Other User (OU)",
};

export type CommandVariant = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface CatalogueEntry {
  readonly srv: string;
  readonly serviceReference: string;
  readonly name: string;
  /** The DUIS body element; null for Annex 5 services DUIS does not have (6.19, A1, A2). */
  readonly bodyElement: string | null;
  readonly inDuis: boolean;
  readonly critical: boolean;
  readonly deviceService: boolean;
  readonly commandVariants: readonly CommandVariant[];
  readonly eligibleRoles: readonly RoleCode[];
  /** Target response times in seconds (Annex 5); null where the category does not apply. */
  readonly onDemandSeconds: number | null;
  readonly futureDatedSeconds: number | null;
  /** Annex 5 note 404: may also be requested as a DCC Scheduled Service. */
  readonly scheduledAllowed: boolean;
  readonly executionDateTimeAllowed: boolean;
  /** Who holds a future-dated request: "DSP" (the DCC), "Device", "DSP & Device", "No". */
  readonly futureDatedPattern: string | null;
  readonly gbcsUseCases: readonly string[];
}

export type ServiceCategory = "onDemand" | "futureDated" | "scheduled";

export class ServiceCatalogue {
  private readonly bySrv: ReadonlyMap<string, CatalogueEntry>;

  constructor(readonly entries: readonly CatalogueEntry[]) {
    this.bySrv = new Map(entries.map((entry) => [entry.srv, entry]));
  }

  get(srv: string): CatalogueEntry | undefined {
    return this.bySrv.get(srv);
  }

  /** The categories a user may request this SRV in. */
  categories(entry: CatalogueEntry): ServiceCategory[] {
    const categories: ServiceCategory[] = [];
    if (entry.onDemandSeconds !== null || !entry.executionDateTimeAllowed) categories.push("onDemand");
    if (entry.executionDateTimeAllowed) categories.push("futureDated");
    if (entry.scheduledAllowed) categories.push("scheduled");
    return categories;
  }

  /** The roles among `roles` in which a user may send this SRV. */
  eligibleAmong(roles: readonly RoleCode[], entry: CatalogueEntry): RoleCode[] {
    return roles.filter((role) => entry.eligibleRoles.includes(role));
  }
}
