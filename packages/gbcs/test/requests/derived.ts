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
  /**
   * Set where the request stands in for the fixture sample of the same name, which contradicts its
   * own vectors: why. Otherwise the name is one no fixture sample has.
   */
  readonly corrects?: string;
}

const CS02B = "6.15.1_CS02bSupplierBySupplier/CS02bSupplierBySupplier_6.15.1";
const CS02G = "6.15.1_CS02gLoadControllerBySupplier/CS02gLoadControllerBySupplier_6.15.1";
const IMMEDIATE = remove("ExecutionDateTime");
/** The RTDS's users: an import supplier and a network operator. */
const SUPPLIER = "90-B3-D5-1F-30-01-00-00";
const NETWORK_OPERATOR = "90-B3-D5-1F-30-02-00-00";
/** The whole RequestID, `ORIGINATOR:TARGET:COUNTER` (duis.md 1.1). */
const requestId = (target: string, counter: number, originator = SUPPLIER) => setText("RequestID", `${originator}:${target}:${counter}`);
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
  {
    name: "ECS02_1.6_FUTURE_DATED_TWIN_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS02_1.6_CANCELLATION_TWIN_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1005), setText("ExecutionDateTime", "2030-01-15T09:00:00.00Z")),
  },
  {
    // the cancellation vector also suspends debt collection on emergency credit, and not when disabled
    name: "ECS03_1.6_CANCELLATION_TWIN_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS03_1.6_FUTURE_DATED_TWIN_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1012), CANCELLATION, setText("SuspendDebtDisabled", "false"), setText("SuspendDebtEmergency", "true")),
  },
  {
    name: "ECS08a_2.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS08a_2.1_CANCELLATION_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1004), setText("ExecutionDateTime", "2030-01-15T09:00:00.00Z")),
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

  // The _ERROR (or other meter variant's) vector of a read: the same request, another counter.
  { name: "ECS17b_4.1.1_ERROR_REQUEST_DUIS.XML", from: "ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML", edit: setRequestCounter(1001) },
  { name: "ECS17d_4.1.2_ERROR_REQUEST_DUIS.XML", from: "ECS17d_4.1.2_SINGLE_SUCCESS_REQUEST_DUIS.XML", edit: setRequestCounter(1002) },
  { name: "ECS20b_4.4.2_ERROR_REQUEST_DUIS.XML", from: "ECS20b_4.4.2_SINGLE_SUCCESS_REQUEST_DUIS.XML", edit: setRequestCounter(1003) },
  { name: "ECS21a_4.6.1_SINGLE_SUCCESS_REQUEST_DUIS.XML", from: "ECS21a_4.6.1_TWIN_SUCCESS_REQUEST_DUIS.XML", edit: setRequestCounter(1003) },
  { name: "ECS21a_4.6.1_ERROR_REQUEST_DUIS.XML", from: "ECS21a_4.6.1_TWIN_SUCCESS_REQUEST_DUIS.XML", edit: setRequestCounter(1005) },
  { name: "ECS26a_4.13_SINGLE_SUCCESS_REQUEST_DUIS.XML", from: "ECS26a_4.13_TWIN_SUCCESS_REQUEST_DUIS.XML", edit: setRequestCounter(1001) },
  { name: "ECS26a_4.13_ERROR_REQUEST_DUIS.XML", from: "ECS26a_4.13_TWIN_SUCCESS_REQUEST_DUIS.XML", edit: setRequestCounter(1002) },

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
  // Joins and unjoins of other devices: the join request names only the other device.
  {
    name: "CS03A1_8.7.1_SUCCESS_REQUEST_DUIS.XML",
    from: "CS03A2Critical_8.7.1_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(requestId("00-DB-12-34-56-78-90-A0", 1000), setText("OtherDeviceID", "00-DB-12-34-56-78-90-9A")),
  },
  {
    name: "CS03A2NonCritical_8.7.2_SUCCESS_REQUEST_DUIS.XML",
    from: "CS03B_8.7.2_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(requestId("00-DB-12-34-56-78-90-A4", 1000), setText("OtherDeviceID", "00-DB-12-34-56-78-90-93")),
  },
  {
    name: "CS03B_8.7.2_ERROR_REQUEST_DUIS.XML",
    from: "CS03B_8.7.2_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1002), setText("OtherDeviceID", "01-02-03-04-05-06-07-08")),
  },
  {
    name: "CS04ACNonCritical_8.8.2_SUCCESS_REQUEST_DUIS.XML",
    from: "CS04B_8.8.2_SUCCESS_REQUEST_DUIS.XML",
    edit: requestId("00-DB-12-34-56-78-90-A4", 1000),
  },
  {
    name: "CS08_11.2_SUCCESS_REQUEST_DUIS.XML",
    from: "CS08_11.2_SUCCESS_REQUEST_DUIS.XML",
    edit: requestId("00-DB-12-34-56-78-90-A4", 1000),
    corrects: "the sample's originator is the Access Control Broker, but its vectors carry user 90-B3-D5-1F-30-01-00-00 as the supplementary remote party: the user sent the request, and the ACB the command",
  },
  {
    name: "CS08_11.2_ERROR_REQUEST_DUIS.XML",
    from: "CS08_11.2_SUCCESS_REQUEST_DUIS.XML",
    edit: requestId("00-DB-12-34-56-78-90-A5", 1001),
  },
  // The same read for another use case of its SRV, which the device (ECS26b: a single-phase ESME)
  // or the user's role (ECS25r1: a supplier) decides.
  { name: "ECS26b_6.2.1_ERROR_REQUEST_DUIS.XML", from: "ECS26k_6.2.1_SUCCESS_REQUEST_DUIS.XML", edit: setRequestCounter(1005) },
  { name: "ECS25r1_6.2.10_SUCCESS_REQUEST_DUIS.XML", from: "ECS25r2_6.2.10_SUCCESS_REQUEST_DUIS.XML", edit: requestId("00-DB-12-34-56-78-90-A0", 1000) },
  // ECS25a2's _ERROR vector sets the ECS25a sample's alerts as audible-alarm settings.
  {
    name: "ECS25a2_6.22_ERROR_REQUEST_DUIS.XML",
    from: "ECS25a_6.22_SUCCESS_REQUEST_DUIS.XML",
    edit: chain(setRequestCounter(1001), rename("ElectricitySupplierAlerts", "ElectricitySupplierAlarmSettings")),
  },
  // The same read by another user: ECS35g is the ALCS event log read by a network operator (its
  // _ERROR vector is a supplier's request with ECS35g's message code).
  {
    name: "ECS35g_6.13_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS35f_6.13_SUCCESS_REQUEST_DUIS.XML",
    edit: requestId("00-DB-12-34-56-78-90-A0", 1200, NETWORK_OPERATOR),
  },
  { name: "ECS35g_6.13_ERROR_REQUEST_DUIS.XML", from: "ECS35f_6.13_SUCCESS_REQUEST_DUIS.XML", edit: setRequestCounter(1001) },
  {
    name: "ECS47a_7.13_ALCS_ACTIVATE_SUCCESS_REQUEST_DUIS.XML",
    from: "ECS47a_7.13_APC_OUTPUT_SUCCESS_REQUEST_DUIS.XML",
    edit: setRequestCounter(1004),
  },
];
