// Offline checks of a parsed request that go beyond its shape: what the catalogue and the DUIS
// rules say about this combination of fields. No clock, no registry, no keys.
import { allowedCommandVariants, endpointFor, srvInfo, type Endpoint } from "./catalogue.js";
import { DCC_EUI, formatEui, formatRequestId, type DuisRequest } from "./model.js";

export interface Finding {
  /**
   * "E12" CommandVariant not allowed for the SRV; "E13" request sent to the wrong endpoint;
   * "DUIS_UNKNOWN_SRV" (only for hand-built requests); "DUIS_TARGET" target wrong for the kind of
   * request; "DUIS_SEQUENCE" sequencing fields inconsistent; "SIGNATURE_MISSING" no ds:Signature;
   * "SIGNATURE_PLACEHOLDER" the templates' placeholder signature.
   */
  readonly code: string;
  readonly message: string;
}

export interface ValidateOptions {
  /** The DCC Boxed endpoint the request arrived on; when given, a CV sent elsewhere is E13. */
  readonly endpoint?: Endpoint;
}

/** The offline findings for a request; an empty list means none. */
export function validateRequest(request: DuisRequest, options: ValidateOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const { header } = request;
  const cv = header.commandVariant;
  const info = srvInfo(header.serviceReferenceVariant);
  if (!info) {
    findings.push({ code: "DUIS_UNKNOWN_SRV", message: `ServiceReferenceVariant ${header.serviceReferenceVariant} is not in the DUIS catalogue` });
  } else {
    const allowed = allowedCommandVariants(info);
    if (!allowed.includes(cv)) {
      const kind = info.nonDevice ? "a non-device" : info.critical ? "a critical" : "a non-critical device";
      findings.push({ code: "E12", message: `CommandVariant ${cv} does not apply to ${info.srv} (${kind} service request takes ${allowed.join(", ")})` });
    }
  }
  if (options.endpoint && endpointFor(cv) !== options.endpoint) {
    findings.push({ code: "E13", message: `CommandVariant ${cv} belongs on ${endpointFor(cv)}, not ${options.endpoint}` });
  }
  const target = header.requestId.target;
  if (cv === 8 && target !== DCC_EUI) {
    findings.push({ code: "DUIS_TARGET", message: `a non-device request (CV 8) must target the DCC ${formatEui(DCC_EUI)}, not ${formatEui(target)}` });
  }
  if (cv !== 8 && target === DCC_EUI) {
    findings.push({ code: "DUIS_TARGET", message: `a device request (CV ${cv}) must target a device, not the DCC ${formatEui(DCC_EUI)}` });
  }
  const preceding = header.precedingRequestId;
  if (preceding) {
    if (header.firstInSequence === true) {
      findings.push({ code: "DUIS_SEQUENCE", message: "FirstInSequence is true but a PrecedingServiceRequestID is given" });
    }
    if (preceding.originator !== header.requestId.originator) {
      findings.push({ code: "DUIS_SEQUENCE", message: `PrecedingServiceRequestID ${formatRequestId(preceding)} is from another originator` });
    }
    if (preceding.counter >= header.requestId.counter) {
      findings.push({ code: "DUIS_SEQUENCE", message: `PrecedingServiceRequestID counter ${preceding.counter} is not below this request's ${header.requestId.counter}` });
    }
  }
  if (!request.signature) findings.push({ code: "SIGNATURE_MISSING", message: "the request has no ds:Signature; the gateway requires one" });
  else if (request.signature.placeholder) {
    findings.push({ code: "SIGNATURE_PLACEHOLDER", message: "the ds:Signature is the templates' placeholder (\"default\"), not a signature" });
  }
  return findings;
}
