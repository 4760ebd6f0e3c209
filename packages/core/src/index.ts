// @opendcc/core: the DCC itself. The service catalogue, parties and users, registration data, the
// Smart Metering Inventory, the request pipeline and its checks, anomaly detection and quarantine,
// schedules, delivery, the journal (the storage port), the event bus and the plugin host.

// One DCC, wired
export { openDcc } from "./dcc.js";
export type { Dcc, DccOptions } from "./dcc.js";

// Product data and the domain
export { ServiceCatalogue, ROLE_CODES, ANNEX5_ROLE_NAMES } from "./catalogue.js";
export type { CatalogueEntry, CommandVariant, RoleCode, ServiceCategory } from "./catalogue.js";
export { CATALOGUE_DATA } from "./catalogue-data.js";
export { UserDirectory, userCertificateFromPem } from "./parties.js";
export type { Party, User, UserCertificate } from "./parties.js";
export { RegistrationData, RegistrationError, parseRegistrationFeed } from "./registration.js";
export type { Appointment, Fuel } from "./registration.js";
export { SmartMeteringInventory, InventoryError, normaliseEui, isType2, DEVICE_TYPES } from "./inventory.js";
export type { DeviceRecord, DeviceStatus, DeviceType, DeviceLogEntry, InventoryChange, InventoryQuery, Premises, PreNotification } from "./inventory.js";
export { Schedules, SCHEDULE_FREQUENCIES, nextOccurrence } from "./schedules.js";
export type { Schedule, ScheduleChange, ScheduleFrequency, ScheduleRemoval } from "./schedules.js";

// The request pipeline
export { Gateway } from "./gateway.js";
export type {
  AuditEntry, DccAlert, Decoded, Endpoint, GatewayResponse, GatewayServices, NonDeviceService, ParsedRequest, RequestCodec, ResponseBody, SignatureCheck,
} from "./gateway.js";
export { DeviceServices, GBCS_VERSION, clockAcbCounter, keyRingCommandKeys } from "./device-services.js";
export type { CommandKeys, DeviceAnswer } from "./device-services.js";
export { CosParty, COS_PARTY_ID } from "./cos-party.js";
export type { CosCommand, CosPartyOptions } from "./cos-party.js";
export { KeptCommands, keptKey } from "./kept-commands.js";
export type { InventoryEffect, KeptChange, KeptCommand, KeptState } from "./kept-commands.js";
export { ResponseCodes, ServiceError } from "./response-codes.js";
export type { ResponseCode } from "./response-codes.js";
export { RequestCounters, formatRequestId } from "./request-ids.js";
export type { RequestIdentity } from "./request-ids.js";
export { AnomalyDetector, DEFAULT_THRESHOLDS } from "./anomaly.js";
export type { AnomalyThreshold, AnomalyVerdict } from "./anomaly.js";
export { Quarantine } from "./quarantine.js";
export type { QuarantinedRequest } from "./quarantine.js";
export { NON_DEVICE_SERVICES } from "./non-device-services.js";
export { createDuisCodec, CHANGE_OF_SUPPLIER_ALERT } from "./duis-codec.js";
export type { DccSigningKey } from "./duis-codec.js";

// Delivery, storage, events and plugins
export { Delivery, httpPusher } from "./delivery.js";
export type { DeliveryChange, OutboxMessage, Pusher } from "./delivery.js";
export { Journal } from "./journal.js";
export type { Change, GatewaySnapshot, GatewayStore } from "./journal.js";
export { IdBlocks } from "./shared-store.js";
export type { AnomalyTotal, CounterClaim, SharedStore } from "./shared-store.js";
export { EventBus } from "./events.js";
export type { DccEventHandler, DccEventName, DccEvents } from "./events.js";
export { PluginHost } from "./plugins.js";
export type { DeviceTransport, PluginContext, PluginDefinition, PluginHostOptions, PluginJob, PluginMigration, PluginState, PluginStatus } from "./plugins.js";
