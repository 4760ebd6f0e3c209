export { transformRequest, transformableServices, useCaseFor } from "./transform.js";
export { ServiceFields } from "./fields.js";
export { TransformError, defineUseCase } from "./types.js";
export type { DeviceType, EncodeContext, OtherDevice, RestoredDevice, RestoredDeviceLog, HeaderChoice, ServiceNode, TransformInput, TransformResult, UseCaseEncoder } from "./types.js";
export { REFERENCE_ESTATE } from "./reference-estate.js";
export { onBehalfOfUser } from "./acb.js";
