// RTDS vectors that a transform of their paired request cannot reproduce, and why: facts of the
// RTDS, or inputs the transform does not have (the DCC's own data, a device's GBCS version). Every
// other paired vector must match byte for byte; a listed one that starts matching must leave the list.
export const KNOWN_MISSES: Readonly<Record<string, string>> = {
  "3.2_GCS09/GCS09_3.2_SUCCESS_COMMAND_GBCS.HEX": "the vector's implementation time 1FC66E20 (2016-11-22T02:46:56Z) is not the sample's RestrictionDateTime 2015-02-01",
  "4.4.4_GCS15d/GCS15d_4.4.4_SUCCESS_COMMAND_GBCS.HEX": "the RTDS sends it through the ACB although the request carries no KA certificate: when the DCC routes a known party's read via the ACB is not in the request",
  "7.14_ECS61d/ECS61d_7.14_SUCCESS_COMMAND_GBCS.HEX": "as GCS15d: the RTDS sends this supplier's read through the ACB (its _ERROR vector, the same request, comes from the user), and nothing in the request says when",
  "4.17_GCS61/GCS61_4.17_SUCCESS_COMMAND_GBCS.HEX": "the URP header matches; the sampled-data start time differs from the sample's ReadLogPeriod (the vector's values are not in the request)",
  "6.22_ECS25a/ECS25a_6.22_SUCCESS_COMMAND_GBCS.HEX": "the vector sets x810D on, x810E, x81C4 and x81C5 off; its sample asks x810D on, x810E off and x81B7 on, which is what the _ERROR vector of the same sample carries (and matches)",
};
