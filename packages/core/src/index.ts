// @opendcc/core: the DCC itself. Service catalogue, parties and users, registration data, the
// Smart Metering Inventory, and (being built) the request pipeline and its checks.
export { ServiceCatalogue, ROLE_CODES, ANNEX5_ROLE_NAMES } from "./catalogue.js";
export type { CatalogueEntry, CommandVariant, RoleCode, ServiceCategory } from "./catalogue.js";
export { CATALOGUE_DATA } from "./catalogue-data.js";
export { SmartMeteringInventory, InventoryError, normaliseEui, isType2, DEVICE_TYPES } from "./inventory.js";
export type { DeviceRecord, DeviceStatus, DeviceType, DeviceLogEntry, InventoryChange, InventoryQuery, Premises, PreNotification } from "./inventory.js";
export { UserDirectory } from "./parties.js";
export type { Party, User, UserCertificate } from "./parties.js";
export { RegistrationData, RegistrationError, parseRegistrationFeed } from "./registration.js";
export type { Appointment, Fuel } from "./registration.js";
