// How one reference entry becomes a catalogue entry; shared by the generator and its test.

const ANNEX_TO_DUIS_ROLE = { EIS: "IS", EES: "ES", GIS: "GS", SNA: "RSA", ENO: "ED", GNO: "GT", OU: "OU", DNO: "ED" };

export function deriveEntry(entry) {
  const duis = entry.duis;
  const annexRoles = [...new Set(entry.eligibleRoles.map((role) => ANNEX_TO_DUIS_ROLE[role]).filter(Boolean))];
  const critical = duis ? duis.critical : entry.critical === true;
  const deviceService = duis ? !duis.nonDeviceRequest : entry.deviceService;
  // duis.md 1.2: {1,2,3} non-critical device, {4,5,6,7} critical, {8} non-device.
  const commandVariants = !deviceService ? [8] : critical ? [4, 5, 6, 7] : [1, 2, 3];
  return {
    srv: entry.srv,
    serviceReference: entry.serviceReference,
    name: entry.duisName ?? entry.name,
    bodyElement: entry.bodyElement ?? null,
    inDuis: Boolean(entry.inDuisSchema && duis),
    critical,
    deviceService,
    commandVariants,
    // Policy: DUIS roles; where DUIS lists none, Annex 5's (README: Annex 5 rules where DUIS is silent).
    eligibleRoles: duis && duis.eligibleRoles.length > 0 ? duis.eligibleRoles : annexRoles,
    onDemandSeconds: entry.onDemand,
    futureDatedSeconds: entry.futureDated,
    scheduledAllowed: entry.scheduled === true,
    executionDateTimeAllowed: duis ? duis.executionDateTimeAllowed : entry.futureDated !== null,
    futureDatedPattern: duis ? duis.futureDatedResponsePattern : null,
    gbcsUseCases: entry.gbcsUseCases,
  };
}
