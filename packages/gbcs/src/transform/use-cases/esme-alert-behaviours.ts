// ECS25a/a1/a2/a3/b/b3 Set Alert or Event Behaviours on the ESME (SRV 6.22, ConfigureAlertBehaviour):
// one DUIS settings element per use case, each an alert-configuration Data object whose value is a
// 512-bit BIT STRING. The first 256 bits say which alerts change, the second 256 bits what they
// become (1 Enable, 0 Disable); an alert's bit is the low byte of its code, counted from the end
// of each half (bit 0xFF first). A supplier's objects hold the 81xx alerts, a network operator's
// the 80xx ones. Worked out from the RTDS 6.22 vectors: ECS25a2/a3/b3 carry exactly their
// requests' alerts this way (e.g. x8014 Enable, x8015 Disable -> bits 20 and 21 set, bit 20 on).
import type { GbcsWriter } from "@opendcc/kernel";
import type { ServiceFields } from "../fields.js";
import { TransformError, defineUseCase, type EncodeContext } from "../types.js";
import { CLASS, request, set } from "./esme-more-dlms.js";

interface Behaviours {
  readonly useCase: string;
  readonly messageCode: number;
  readonly object: string;
  /** The high byte of the alert codes the object holds. */
  readonly codePage: number;
}

const SUPPLIER_ALERTS = 0x81;
const NETWORK_OPERATOR_ALERTS = 0x80;

/** The DUIS settings element -> use case and alert-configuration object. */
const SETTINGS: Readonly<Record<string, Behaviours>> = {
  ElectricitySupplierAlerts: { useCase: "ECS25a", messageCode: 0x00ac, object: "0-30:97.98.11.255", codePage: SUPPLIER_ALERTS },
  ElectricitySupplierHANAlertSettings: { useCase: "ECS25a1", messageCode: 0x00ea, object: "0-30:97.98.12.255", codePage: SUPPLIER_ALERTS },
  ElectricitySupplierAlarmSettings: { useCase: "ECS25a2", messageCode: 0x00eb, object: "0-30:97.98.13.255", codePage: SUPPLIER_ALERTS },
  ElectricitySupplierLoggingSettings: { useCase: "ECS25a3", messageCode: 0x00ec, object: "0-30:97.98.14.255", codePage: SUPPLIER_ALERTS },
  ElectricityNetworkOperatorAlerts: { useCase: "ECS25b", messageCode: 0x00b0, object: "0-33:97.98.11.255", codePage: NETWORK_OPERATOR_ALERTS },
  ElectricityNetworkOperatorLoggingSettings: { useCase: "ECS25b3", messageCode: 0x00ed, object: "0-33:97.98.14.255", codePage: NETWORK_OPERATOR_ALERTS },
};

const ALERTS_PER_HALF = 256;
const ALERT_ELEMENT = /^x([0-9A-F]{4})$/;

function settingsOf(context: EncodeContext): { readonly behaviours: Behaviours; readonly settings: ServiceFields } {
  const [settings, ...more] = context.fields.children();
  if (!settings || more.length > 0) throw new TransformError("ConfigureAlertBehaviour holds exactly one settings element", "ConfigureAlertBehaviour");
  const behaviours = SETTINGS[settings.name];
  if (!behaviours) throw new TransformError(`${settings.name} is not one of ${Object.keys(SETTINGS).join(", ")}`, `ConfigureAlertBehaviour/${settings.name}`);
  return { behaviours, settings };
}

/** The mask and value halves, bit 0xFF of each first, from the alerts under every group (Common, PolyPhase, ...). */
function alertBits(behaviours: Behaviours, settings: ServiceFields): boolean[] {
  const changes = new Array<boolean>(ALERTS_PER_HALF).fill(false);
  const enabled = new Array<boolean>(ALERTS_PER_HALF).fill(false);
  const alerts = settings.children().flatMap((group) => group.children());
  if (alerts.length === 0) throw new TransformError(`${settings.name} names no alert`, settings.name);
  for (const alert of alerts) {
    const code = Number.parseInt(ALERT_ELEMENT.exec(alert.name)?.[1] ?? "", 16);
    const field = `${settings.name}/${alert.name}`;
    if (Number.isNaN(code) || code >> 8 !== behaviours.codePage) {
      throw new TransformError(`${alert.name} is not an alert of ${behaviours.useCase} (x${behaviours.codePage.toString(16).toUpperCase()}nn)`, field);
    }
    const bit = ALERTS_PER_HALF - 1 - (code & 0xff);
    changes[bit] = true;
    enabled[bit] = alert.oneOf({ Enable: true, Disable: false });
  }
  return [...changes, ...enabled];
}

const ECS25 = defineUseCase({
  useCase: "ECS25a/ECS25a1/ECS25a2/ECS25a3/ECS25b/ECS25b3", srv: "6.22", deviceTypes: ["ESME"], critical: false,
  chosenUseCase: (context) => settingsOf(context).behaviours.useCase,
  messageCode: (context) => settingsOf(context).behaviours.messageCode,
  write: (w: GbcsWriter, context) => {
    const { behaviours, settings } = settingsOf(context);
    const bits = alertBits(behaviours, settings);
    request(w, context.counter, [[set(CLASS.data, behaviours.object, 2), (x) => void x.dlmsBits(bits)]]);
  },
});

export const ESME_ALERT_BEHAVIOUR_ENCODERS = [ECS25] as const;
