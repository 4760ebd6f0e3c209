// Test requests for RTDS vectors without a DUIS sample of their own that differ from another
// fixture sample by a few values: written down as that sample plus named edits, applied when the
// tests run, so that no fixture content is copied into the repository. Values the sample does not
// have are typed in from the vector, except certificates, which are read from the vector itself.
import { chain, remove, rename, setRequestCounter, setText, type Edit } from "./xml-edits.js";
import { certificateFromVector } from "./vector-values.js";

export interface DerivedRequest {
  /** The request's file name, as the fixture samples are named (what `transformPairs()` pairs by). */
  readonly name: string;
  /** The fixture DUIS sample (in fixtures/duis/) it is made from. */
  readonly from: string;
  readonly edit: Edit;
}

const CS02B = "6.15.1_CS02bSupplierBySupplier/CS02bSupplierBySupplier_6.15.1";
const CS02G = "6.15.1_CS02gLoadControllerBySupplier/CS02gLoadControllerBySupplier_6.15.1";
const IMMEDIATE = remove("ExecutionDateTime");
/** A cancellation resends the request dated 3000-12-31 (duis.md 1.4). */
const CANCELLATION = setText("ExecutionDateTime", "3000-12-31T00:00:00.00Z");

export const DERIVED_REQUESTS: readonly DerivedRequest[] = [
  // The _ERROR vectors of CS02b/CS02d/CS02g carry a certificate other than the _SUCCESS sample's.
  {
    name: "CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_ERROR_REQUEST_DUIS.XML",
    from: "CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1004), setText("KeyAgreementCertificate", certificateFromVector(`${CS02B}_FUTURE_DATED_ERROR_COMMAND_GBCS.HEX`, 1))),
  },
  {
    name: "CS02bSupplierBySupplier_6.15.1_IMMEDIATE_ERROR_REQUEST_DUIS.XML",
    from: "CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(
      setRequestCounter(1003),
      setText("KeyAgreementCertificate", certificateFromVector(`${CS02B}_IMMEDIATE_ERROR_PRECOMMAND_GBCS.HEX`, 1)),
      setText("ApplyTimeBasedCPVChecks", "true"),
    ),
  },
  {
    name: "CS02d_6.15.2_ERROR_REQUEST_DUIS.XML",
    from: "CS02d_6.15.2_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1002), setText("DeviceCertificate", certificateFromVector("6.15.2_CS02d/CS02d_6.15.2_ERROR_PRECOMMAND_GBCS.HEX", 0))),
  },
  {
    name: "CS02gLoadControllerBySupplier_6.15.1_FUTURE_DATED_ERROR_REQUEST_DUIS.XML",
    from: "CS02gLoadControllerBySupplier_6.15.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1004), setText("Certificate", certificateFromVector(`${CS02G}_FUTURE_DATED_ERROR_PRECOMMAND_GBCS.HEX`, 2))),
  },
  {
    name: "CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_ERROR_REQUEST_DUIS.XML",
    from: "CS02gLoadControllerBySupplier_6.15.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1003), setText("Certificate", certificateFromVector(`${CS02G}_IMMEDIATE_ERROR_PRECOMMAND_GBCS.HEX`, 2))),
  },

  // Another execution variant (immediate, future-dated, cancellation) of a sample's request.
  {
    name: "CS02bSupplierByTransCoS_6.23_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML",
    from: "CS02bSupplierByTransCoS_6.23_CANCELLATION_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(6002), setText("ExecutionDateTime", "2030-01-02T00:00:00.00Z")),
  },
  {
    name: "CS02gLoadControllerBySupplier_6.15.1_CANCELLATION_SUCCESS_REQUEST_DUIS.XML",
    from: "CS02gLoadControllerBySupplier_6.15.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1002), CANCELLATION),
  },
  {
    name: "CS06_11.3_FUTURE_DATED_ERROR_REQUEST_DUIS.XML",
    from: "CS06_11.3_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1004), setText("ExecutionDateTime", "2030-01-01T00:00:00.00Z")),
  },
  { name: "ECS01c_1.1.2_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML", from: "ECS01c_1.1.2_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML", edit: IMMEDIATE },
  { name: "ECS08_2.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML", from: "ECS08_2.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML", edit: IMMEDIATE },
  {
    name: "ECS46c_6.14.2_FUTURE_DATED_ALL_OPTIONALS_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS46c_6.14.2_CANCELLATION_ALL_OPTIONALS_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1007), setText("ExecutionDateTime", "2030-01-15T09:00:00.00Z")),
  },
  {
    name: "ECS46c_6.14.2_IMMEDIATE_SOME_OPTIONALS_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS46c_6.14.2_CANCELLATION_ALL_OPTIONALS_SUCCESS_REQUEST_DUIS.XML",
    // "some optionals": switches 3 to 5 left out
    edit: chain(setRequestCounter(1006), IMMEDIATE, ...[3, 4, 5].map((n) => remove(`SwitchTypeAndId[index="${n}"]`))),
  },
  {
    name: "ECS46d_6.14.3_CANCELLATION_APC_OUTPUT_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS46d_6.14.3_FUTURE_DATED_APC_OUTPUT_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1003), CANCELLATION),
  },
  {
    name: "GCS01a_1.1.1_FUTURE_DATED_BLOCK_SUCCESS_REQUEST_DUIS.XML",
    from: "GCS01a_1.1.1_CANCELLATION_BLOCK_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1005), setText("ExecutionDateTime", "2030-01-15T09:00:00Z"), setText("NumberOfThresholds", "3")),
  },

  // The same request body for another device configuration or service variant.
  {
    name: "ECS01b_1.2.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS01b_1.2.1_IMMEDIATE_TOU_SUCCESS_REQUEST_DUIS.XML",
    edit: setRequestCounter(1007),
  },
  {
    // 1.2.1 Update Price: the price elements of an 1.1.1 tariff, with the vector's block prices
    name: "ECS01b_1.2.1_IMMEDIATE_BLOCK_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(
      setRequestCounter(1004),
      setText("ServiceReference", "1.2"),
      setText("ServiceReferenceVariant", "1.2.1"),
      rename("UpdateImportTariffPrimaryElement", "UpdatePricePrimaryElement"),
      remove("ElecTariffElements"),
      setText('BlockPrice[index="1"]', "2361"),
      setText('BlockPrice[index="2"]', "4289"),
      setText('BlockPrice[index="3"]', "6566"),
    ),
  },
  {
    // an APC output action is the input action without InputFromControlledLoad
    name: "ECS46d_6.14.3_IMMEDIATE_APC_OUTPUT_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS46d_6.14.3_IMMEDIATE_APC_INPUT_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1005), remove("InputFromControlledLoad", 10)),
  },
  {
    name: "ECS47a_7.13_ALCS_ACTIVATE_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS47a_7.13_APC_OUTPUT_SUCCESS_REQUEST_DUIS.XML",
    edit: setRequestCounter(1004),
  },
];
