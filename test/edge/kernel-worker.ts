// A Workers-style module that answers every request with the kernel probe's results.
import { probeKernel } from "./kernel-probe.js";

export default {
  async fetch(): Promise<Response> {
    return Response.json(await probeKernel());
  },
};
