// Firmware images as SRV 11.1 carries them (DUIS UpdateFirmware/FirmwareImage): a ZigBee OTA
// Upgrade file, an OTA header (ZigBee Cluster Library, OTA Upgrade cluster: the file format all
// fields little-endian) then the manufacturer's upgrade image and signature, which GBCS leaves to
// the manufacturer. The DCC and the devices read the header; a device reports the SHA-256 of the
// whole image it received (its Firmware Distribution Receipt Alert, 0x8F72), and an 11.3 Activate
// Firmware (CS06) names that hash to run it.
import { sha256, toHex } from "@opendcc/kernel";

/** The OTA Upgrade File Identifier, the first four bytes of every image. */
export const OTA_FILE_IDENTIFIER = 0x0beef11e;
const FIXED_HEADER_LENGTH = 56;
const HEADER_STRING_LENGTH = 32;
/** Field control bits: which optional header fields follow the total image size. */
const FIELD = { securityCredentialVersion: 1, deviceSpecificFile: 2, hardwareVersions: 4 } as const;

export class FirmwareImageError extends Error {
  override readonly name = "FirmwareImageError";
}

export interface FirmwareImageHeader {
  readonly headerVersion: number;
  readonly headerLength: number;
  readonly manufacturerCode: number;
  readonly imageType: number;
  /** The image's firmware version, eight hex digits as the inventory and CS06 write it. */
  readonly fileVersion: string;
  readonly stackVersion: number;
  /** The manufacturer's description (32 bytes, NUL padding removed). */
  readonly headerString: string;
  readonly totalImageSize: number;
  readonly securityCredentialVersion: number | null;
  /** For a device-specific file, the one device (EUI-64, hex) it is for. */
  readonly destination: string | null;
  readonly hardwareVersions: { readonly min: number; readonly max: number } | null;
}

/** Reads and checks an image's OTA header: identifier, lengths, and the size of the whole file. */
export function readFirmwareImage(image: Uint8Array): FirmwareImageHeader {
  if (image.length < FIXED_HEADER_LENGTH) throw new FirmwareImageError(`a firmware image starts with a ${FIXED_HEADER_LENGTH}-byte OTA header; this one has ${image.length} bytes`);
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const identifier = view.getUint32(0, true);
  if (identifier !== OTA_FILE_IDENTIFIER) throw new FirmwareImageError(`not a ZigBee OTA upgrade file: it starts ${hex(identifier, 8)}, not the identifier 0BEEF11E`);
  const headerLength = view.getUint16(6, true);
  const fieldControl = view.getUint16(8, true);
  const optional = (fieldControl & FIELD.securityCredentialVersion ? 1 : 0) + (fieldControl & FIELD.deviceSpecificFile ? 8 : 0) + (fieldControl & FIELD.hardwareVersions ? 4 : 0);
  if (headerLength !== FIXED_HEADER_LENGTH + optional) {
    throw new FirmwareImageError(`the OTA header length is ${headerLength}, but its field control ${hex(fieldControl, 4)} makes it ${FIXED_HEADER_LENGTH + optional}`);
  }
  const totalImageSize = view.getUint32(52, true);
  if (totalImageSize !== image.length) throw new FirmwareImageError(`the OTA header gives a total image size of ${totalImageSize} bytes, but the image has ${image.length}`);
  if (image.length <= headerLength) throw new FirmwareImageError("the image holds an OTA header and nothing else");
  let at = FIXED_HEADER_LENGTH;
  const securityCredentialVersion = fieldControl & FIELD.securityCredentialVersion ? image[at++] as number : null;
  let destination: string | null = null;
  if (fieldControl & FIELD.deviceSpecificFile) {
    destination = toHex(image.slice(at, at + 8).reverse());
    at += 8;
  }
  const hardwareVersions = fieldControl & FIELD.hardwareVersions ? { min: view.getUint16(at, true), max: view.getUint16(at + 2, true) } : null;
  return {
    headerVersion: view.getUint16(4, true), headerLength, manufacturerCode: view.getUint16(10, true), imageType: view.getUint16(12, true),
    fileVersion: hex(view.getUint32(14, true), 8), stackVersion: view.getUint16(18, true),
    headerString: new TextDecoder().decode(image.subarray(20, 20 + HEADER_STRING_LENGTH)).replace(/\0+$/, ""),
    totalImageSize, securityCredentialVersion, destination, hardwareVersions,
  };
}

/** The hash a device reports on receipt and CS06 names: SHA-256 over the whole image, upper-case hex. */
export function firmwareImageHash(image: Uint8Array): string {
  return toHex(sha256(image));
}

export interface FirmwareImageSpec {
  readonly manufacturerCode: number;
  readonly imageType: number;
  /** Eight hex digits. */
  readonly fileVersion: string;
  /** At most 32 bytes of UTF-8. */
  readonly headerString: string;
  /** The manufacturer's upgrade image (and signature), as the device will receive it. */
  readonly body: Uint8Array;
  /** EUI-64 (hex) of the one device a device-specific file is for. */
  readonly destination?: string;
}

/** Writes an OTA upgrade file: for tests, demos and emulated manufacturers. */
export function writeFirmwareImage(spec: FirmwareImageSpec): Uint8Array {
  if (!/^[0-9A-Fa-f]{8}$/.test(spec.fileVersion)) throw new FirmwareImageError(`file version ${spec.fileVersion} is not eight hex digits`);
  const headerString = new TextEncoder().encode(spec.headerString);
  if (headerString.length > HEADER_STRING_LENGTH) throw new FirmwareImageError(`the header string is ${headerString.length} bytes; at most ${HEADER_STRING_LENGTH}`);
  const destination = spec.destination?.replace(/-/g, "");
  if (destination !== undefined && !/^[0-9A-Fa-f]{16}$/.test(destination)) throw new FirmwareImageError(`destination ${spec.destination} is not an EUI-64`);
  const headerLength = FIXED_HEADER_LENGTH + (destination === undefined ? 0 : 8);
  const image = new Uint8Array(headerLength + spec.body.length);
  const view = new DataView(image.buffer);
  view.setUint32(0, OTA_FILE_IDENTIFIER, true);
  view.setUint16(4, 0x0100, true);
  view.setUint16(6, headerLength, true);
  view.setUint16(8, destination === undefined ? 0 : FIELD.deviceSpecificFile, true);
  view.setUint16(10, spec.manufacturerCode, true);
  view.setUint16(12, spec.imageType, true);
  view.setUint32(14, Number.parseInt(spec.fileVersion, 16), true);
  view.setUint16(18, 0x0002, true); // ZigBee PRO
  image.set(headerString, 20);
  view.setUint32(52, image.length, true);
  if (destination !== undefined) {
    for (let i = 0; i < 8; i++) image[FIXED_HEADER_LENGTH + i] = Number.parseInt(destination.slice(14 - 2 * i, 16 - 2 * i), 16);
  }
  image.set(spec.body, headerLength);
  return image;
}

const hex = (value: number, digits: number) => value.toString(16).toUpperCase().padStart(digits, "0");
