// RTDS vectors that a transform of their paired request cannot reproduce, and why: facts of the
// RTDS, or inputs the transform does not have (the DCC's own data, a device's GBCS version). Every
// other paired vector must match byte for byte; a listed one that starts matching must leave the list.
export const KNOWN_MISSES: Readonly<Record<string, string>> = {
  "3.2_GCS09/GCS09_3.2_SUCCESS_COMMAND_GBCS.HEX": "the vector's implementation time 1FC66E20 (2016-11-22T02:46:56Z) is not the sample's RestrictionDateTime 2015-02-01",
  "4.4.4_GCS15d/GCS15d_4.4.4_SUCCESS_COMMAND_GBCS.HEX": "the RTDS sends it through the ACB although the request carries no KA certificate: when the DCC routes a known party's read via the ACB is not in the request",
  "4.17_GCS61/GCS61_4.17_SUCCESS_COMMAND_GBCS.HEX": "the URP header matches; the sampled-data start time differs from the sample's ReadLogPeriod (the vector's values are not in the request)",
  "6.2.4_GCS21e/GCS21e_6.2.4_SUCCESS_COMMAND_GBCS.HEX": "GCS21e (the older GBCS version's identity read, with the hardware version) has no encoder yet: only GCS21m",
  "6.2.4_GCS21e/GCS21e_6.2.4_ERROR_COMMAND_GBCS.HEX": "GCS21e (the older GBCS version's identity read, with the hardware version) has no encoder yet: only GCS21m",
  "9.1_GCS36/GCS36_9.1_ERROR_COMMAND_GBCS.HEX": "no encoder: the CIN is the DCC's to generate, and the command goes from the ACB",
  "8.12.2_GCS59/GCS59_8.12.2_SUCCESS_COMMAND_GBCS.HEX": "no encoder: the restored device log comes from the inventory, not the request",
  "8.12.1_CCS03/CCS03_8.12.1_SUCCESS_COMMAND_GBCS.HEX": "no encoder: the restored device log (devices, link key hashes, PAN id) is the DCC's backup, not in the request",
  "11.2_CS08/CS08_11.2_SUCCESS_COMMAND_GBCS.HEX": "no encoder: CS08 is originated by the ACB and its sample names the ACB as the DUIS originator too, so the user to put in the supplementary fields is not in the request",
  "11.2_CS08/CS08_11.2_ERROR_COMMAND_GBCS.HEX": "no encoder: as CS08 SUCCESS",
  "6.22_ECS25a/ECS25a_6.22_SUCCESS_COMMAND_GBCS.HEX": "no encoder: how 6.22's alert codes map onto the 512-bit alert configuration is not derivable from the samples",
  "6.22_ECS25a/ECS25a_6.22_ERROR_COMMAND_GBCS.HEX": "no encoder: as ECS25a SUCCESS (and its bits differ from the SUCCESS vector for the same sample)",
  "6.22_ECS25a3/ECS25a3_6.22_SUCCESS_COMMAND_GBCS.HEX": "no encoder: as ECS25a",
  "6.22_ECS25b3/ECS25b3_6.22_SUCCESS_COMMAND_GBCS.HEX": "no encoder: as ECS25a",
  "6.22_ECS25b3/ECS25b3_6.22_ERROR_COMMAND_GBCS.HEX": "no encoder: as ECS25a",
  "8.7.1_CS03A2Critical/CS03A2Critical_8.7.1_SUCCESS_COMMAND_GBCS.HEX": "no encoder: a join carries the other device's type, which comes from the inventory, not the request (OtherDeviceID only)",
  "8.7.1_CS03CCritical/CS03CCritical_8.7.1_SUCCESS_PRECOMMAND_GBCS.HEX": "no encoder: the join carries the other device's type and certificate, from the inventory and SMKI, not the request",
  "8.7.2_CS03B/CS03B_8.7.2_SUCCESS_COMMAND_GBCS.HEX": "no encoder: as CS03A2",
  "8.7.2_CS03B/CS03B_8.7.2_ERROR_COMMAND_GBCS.HEX": "no encoder: as CS03A2",
};
