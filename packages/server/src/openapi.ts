// OpenAPI 3.1 description of the JSON admin API (and, for completeness, the DUIS endpoints).

const json = (schema: object) => ({ content: { "application/json": { schema } } });
const error = { description: "bad input; `error` names what is wrong", ...json({ $ref: "#/components/schemas/Error" }) };
const loaded = { description: "loaded", ...json({ type: "object", properties: { loaded: { type: "integer" } } }) };
const duis = (summary: string) => ({
  post: {
    summary,
    requestBody: { required: true, content: { "application/xml": { schema: { type: "string", description: "signed DUIS Request (schemaVersion 5.x)" } } } },
    responses: {
      "200": { description: "DUIS Response (I0, I99 or an error code); X-OpenDCC-Reason explains errors", content: { "application/xml": { schema: { type: "string" } } } },
      "413": { description: "request larger than the limit" },
      "415": { description: "not application/xml" },
    },
  },
});

export const OPENAPI = {
  openapi: "3.1.0",
  info: { title: "OpenDCC", version: "0.1.0", description: "DUIS User Gateway (DCC Boxed compatible paths) and the JSON admin API." },
  paths: {
    "/api/v1/serviceS": duis("Send Command: Command Variants 1, 3, 5, 7"),
    "/api/v1/serviceT": duis("Transform: Command Variant 4 (critical services, returns the Pre-Command)"),
    "/api/v1/serviceD": duis("Non-device and local delivery: Command Variants 2, 6, 8"),
    "/admin/v1/parties": {
      get: { summary: "List parties", responses: { "200": json({ type: "array", items: { $ref: "#/components/schemas/Party" } }) } },
      post: { summary: "Load parties", requestBody: json({ type: "array", items: { $ref: "#/components/schemas/Party" } }), responses: { "201": loaded, "400": error } },
    },
    "/admin/v1/users": {
      get: { summary: "List users (certificates without their DER)", responses: { "200": { description: "users" } } },
      post: { summary: "Load users with their certificates", requestBody: json({ type: "array", items: { $ref: "#/components/schemas/User" } }), responses: { "201": loaded, "400": error } },
    },
    "/admin/v1/users/{userId}/suspension": {
      post: { summary: "Suspend or reinstate a user's rights (SEC M8)", parameters: [{ name: "userId", in: "path", required: true, schema: { type: "string" } }], requestBody: json({ type: "object", required: ["suspended"], properties: { suspended: { type: "boolean" } } }), responses: { "200": { description: "updated" }, "404": error } },
    },
    "/admin/v1/registration": {
      get: { summary: "Registration data (optionally ?mpxn=)", responses: { "200": { description: "appointments" } } },
      put: { summary: "Replace the registration data from a feed: JSON array or CSV (mpxn,fuel,role,partyId,effectiveFrom,effectiveTo)", requestBody: { content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/Appointment" } } }, "text/csv": { schema: { type: "string" } } } }, responses: { "200": loaded, "400": error } },
    },
    "/admin/v1/inventory/devices": { post: { summary: "Load inventory records as they stand", requestBody: json({ type: "array", items: { $ref: "#/components/schemas/Device" } }), responses: { "201": loaded, "400": error } } },
    "/admin/v1/inventory/devices/{deviceId}": { get: { summary: "One inventory record", parameters: [{ name: "deviceId", in: "path", required: true, schema: { type: "string" } }], responses: { "200": json({ $ref: "#/components/schemas/Device" }), "404": error } } },
    "/admin/v1/anomaly/thresholds": {
      get: { summary: "Anomaly thresholds", responses: { "200": { description: "thresholds" } } },
      put: { summary: "Replace anomaly thresholds (most specific wins: user+SRV, SRV, user, default)", requestBody: json({ type: "array", items: { $ref: "#/components/schemas/Threshold" } }), responses: { "200": { description: "thresholds now in force" }, "400": error } },
    },
    "/admin/v1/quarantine": { get: { summary: "Quarantined requests", responses: { "200": { description: "held requests" } } } },
    "/admin/v1/quarantine/{id}/release": { post: { summary: "Execute a quarantined request", parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }], responses: { "200": { description: "the outcome" }, "404": error } } },
    "/admin/v1/quarantine/{id}": { delete: { summary: "Drop a quarantined request", parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }], responses: { "200": { description: "deleted" }, "404": error } } },
    "/admin/v1/audit": { get: { summary: "Recent audit entries (?limit=, at most 1000)", responses: { "200": { description: "entries" } } } },
    "/healthz": { get: { summary: "Liveness", responses: { "200": { description: "ok" } } } },
    "/metrics": { get: { summary: "Prometheus metrics", responses: { "200": { description: "text exposition format" } } } },
  },
  components: {
    schemas: {
      Error: { type: "object", properties: { error: { type: "string" } } },
      Party: { type: "object", required: ["partyId", "name"], properties: { partyId: { type: "string" }, name: { type: "string" } } },
      User: {
        type: "object", required: ["userId", "partyId", "roles"],
        properties: {
          userId: { type: "string", description: "EUI-64" }, partyId: { type: "string" },
          roles: { type: "array", minItems: 1, items: { enum: ["IS", "ES", "GS", "RSA", "ED", "GT", "OU"] } }, suspended: { type: "boolean" },
          certificates: { type: "array", items: { type: "object", required: ["usage", "pem"], properties: { usage: { enum: ["ds", "ka", "xml"] }, pem: { type: "string" } } } },
        },
      },
      Appointment: { type: "object", required: ["mpxn", "fuel", "role", "partyId", "effectiveFrom"], properties: { mpxn: { type: "string" }, fuel: { enum: ["electricity", "gas"] }, role: { enum: ["IS", "ES", "GS", "RSA", "ED", "GT"] }, partyId: { type: "string" }, effectiveFrom: { type: "string" }, effectiveTo: { type: ["string", "null"] } } },
      Device: { type: "object", required: ["deviceId", "type", "status"], properties: { deviceId: { type: "string" }, type: { enum: ["CHF", "GPF", "ESME", "GSME", "PPMID", "HCALCS", "IHD", "CAD"] }, status: { enum: ["pending", "installed-not-commissioned", "commissioned", "withdrawn", "decommissioned"] }, mpxn: { type: ["string", "null"] }, chfId: { type: ["string", "null"] }, associatedWith: { type: ["string", "null"] } } },
      Threshold: { type: "object", required: ["windowMs", "limit"], properties: { userId: { type: "string" }, srv: { type: "string" }, windowMs: { type: "integer", minimum: 1000 }, limit: { type: "integer", minimum: 0 } } },
    },
  },
} as const;
