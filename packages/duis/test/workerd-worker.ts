// A Workers module: GET runs the probe; POST { xml, spki } verifies a document signed elsewhere.
import { fromBase64, importPublicKey } from "@opendcc/kernel";
import { verifyDocument } from "../src/index.js";
import { probeDuis } from "./workerd-probe.js";

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method === "POST") {
      const { xml, spki } = (await request.json()) as { xml: string; spki: string };
      const key = await importPublicKey(fromBase64(spki), "ds");
      return Response.json(await verifyDocument(xml, () => key));
    }
    return Response.json(await probeDuis());
  },
};
