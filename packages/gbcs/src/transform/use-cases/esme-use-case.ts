// An SRV served by one or more GBCS use cases on the ESME. Where DUIS names several (ECS23 and
// ECS23b for 4.10, ECS25a..b3 for 6.22, ...) the request body picks one when it can; otherwise the
// choice depends on the device (single/twin/poly-phase, GBCS version) or the user's role: the
// caller names it (TransformInput.useCase), else the documented default applies.
import { defineUseCase, type DeviceType, type EncodeContext, type HeaderChoice, type UseCaseEncoder } from "../types.js";
import { writeAccesses, type Access } from "./esme-dlms.js";

export interface EsmeUseCase {
  readonly useCase: string;
  readonly messageCode: number;
  readonly accesses: (context: EncodeContext) => readonly Access[];
}

export interface EsmeService {
  readonly srv: string;
  readonly critical: boolean;
  /** Default: the ESME. */
  readonly deviceTypes?: readonly DeviceType[];
  /** The use cases of this SRV; the first is the default. */
  readonly useCases: readonly [EsmeUseCase, ...EsmeUseCase[]];
  /** Picks the use case from the request; undefined falls back to the default. */
  readonly choose?: (context: EncodeContext) => string | undefined;
  readonly header?: (context: EncodeContext) => HeaderChoice;
}

export function esmeService(service: EsmeService): UseCaseEncoder {
  const pick = (context: EncodeContext): EsmeUseCase => {
    const name = service.choose?.(context) ?? context.input.useCase;
    return service.useCases.find((u) => u.useCase === name) ?? service.useCases[0];
  };
  return defineUseCase({
    useCase: service.useCases.map((u) => u.useCase).join("/"),
    srv: service.srv,
    deviceTypes: service.deviceTypes ?? ["ESME"],
    chosenUseCase: (context) => pick(context).useCase,
    messageCode: (context) => pick(context).messageCode,
    critical: service.critical,
    ...(service.header ? { header: service.header } : {}),
    write: (writer, context) => writeAccesses(writer, context, pick(context).accesses(context)),
  });
}

/** A use case whose payload does not depend on the request. */
export const fixed = (useCase: string, messageCode: number, accesses: readonly Access[]): EsmeUseCase => ({ useCase, messageCode, accesses: () => accesses });
