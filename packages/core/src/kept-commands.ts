// Commands the DCC keeps for a user between two steps of a device service. They are journaled
// (design: nothing accepted is lost), restored at start and carried to other instances by the
// change feed:
// - a Pre-Command awaiting its signature (seed 003 paragraph 155, duis.md 6): the Signed
//   Pre-Command may come back after a restart or to another instance;
// - a command the DCC holds until its execution date-time (duis.md 1.4: Future Dated Response
//   Pattern "DSP");
// - a command returned for local delivery, whose device response the user may return with 8.13
//   (paragraphs 193-194).
// Bytes are kept as hex so that every record is plain JSON (store and change feed).

/** What a command changes in the Smart Metering Inventory once the device has executed it (paragraph 194). */
export type InventoryEffect =
  | { readonly kind: "join"; readonly chfId: string; readonly deviceId: string }
  | { readonly kind: "unjoin"; readonly chfId: string; readonly deviceId: string }
  | { readonly kind: "commission"; readonly deviceId: string }
  | { readonly kind: "restore"; readonly fromChfId: string; readonly toChfId: string };

interface Kept {
  /** ORIGINATOR:TARGET:COUNTER, 16 hex digits each EUI. */
  readonly requestId: string;
  readonly srv: string;
  readonly deviceId: string;
  readonly effect: InventoryEffect | null;
}

export type KeptCommand =
  | Kept & { readonly state: "awaiting-signature"; readonly preCommand: string }
  | Kept & {
    readonly state: "future-dated";
    readonly userId: string;
    readonly serviceReference: string;
    /** When the DCC sends it (ISO 8601). */
    readonly dueAt: string;
    /** The complete MAC'd command (hex). */
    readonly command: string;
  }
  | Kept & { readonly state: "local"; readonly serviceReference: string };

export type KeptState = KeptCommand["state"];

export type KeptChange = { readonly kind: "kept"; readonly command: KeptCommand } | { readonly kind: "released"; readonly key: string };

export const keptKey = (state: KeptState, requestId: string): string => `${state}/${requestId}`;

export class KeptCommands {
  private readonly byKey = new Map<string, KeptCommand>();

  constructor(private readonly onChange: (change: KeptChange) => void = () => undefined) {}

  keep(command: KeptCommand): void {
    this.byKey.set(keptKey(command.state, command.requestId), command);
    this.onChange({ kind: "kept", command });
  }

  get<S extends KeptState>(state: S, requestId: string): Extract<KeptCommand, { state: S }> | undefined {
    return this.byKey.get(keptKey(state, requestId)) as Extract<KeptCommand, { state: S }> | undefined;
  }

  /** Removes a kept command (used, sent or cancelled); false when it was not kept. */
  release(state: KeptState, requestId: string): boolean {
    const key = keptKey(state, requestId);
    if (!this.byKey.delete(key)) return false;
    this.onChange({ kind: "released", key });
    return true;
  }

  /** Future-dated commands whose time has come, earliest first. */
  due(now: Date): Extract<KeptCommand, { state: "future-dated" }>[] {
    return this.all("future-dated").filter((c) => Date.parse(c.dueAt) <= now.getTime()).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  }

  all<S extends KeptState>(state: S): Extract<KeptCommand, { state: S }>[] {
    return [...this.byKey.values()].filter((c): c is Extract<KeptCommand, { state: S }> => c.state === state);
  }

  /** Puts back a stored command (restart, another instance's change): no change event. */
  restore(command: KeptCommand): void {
    this.byKey.set(keptKey(command.state, command.requestId), command);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }
}
