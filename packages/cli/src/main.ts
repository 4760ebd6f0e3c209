#!/usr/bin/env node
// opendcc: the command line of cli-contract.md. Bad usage exits 2 with a one-line message; bad
// input is reported per input in the JSON lines, never as a stack trace.
import { parseArgs } from "node:util";
import { bench } from "./commands/bench.js";
import { benchE2e } from "./commands/bench-e2e.js";
import { fleetProvision } from "./commands/fleet.js";
import { transform as duisTransform } from "./commands/duis-transform.js";
import { preCommand as duisPreCommand, signedPreCommand as duisSignedPreCommand } from "./commands/duis-pre-command.js";
import { parse as duisParse, send as duisSend, sign as duisSign, validate as duisValidate } from "./commands/duis.js";
import { start } from "./commands/start.js";
import { inspect, mac, parse as gbcsParse, sign as gbcsSign, verify } from "./commands/gbcs.js";
import { correlateFiles } from "./commands/gbcs-correlate.js";
import { selftest } from "./commands/selftest.js";
import { UsageError } from "./output.js";

const HELP = `opendcc — an open implementation of the GB smart-metering DCC

Usage: opendcc <command> [options] [FILE... | -]

GBCS messages (hex or base64 files, or - for one message per line on stdin; JSON Lines out):
  gbcs inspect FILE...                   header facts: form, CRA, counter, parties, message code, use case
  gbcs verify FILE... --keystore DIR     check every MAC, signature and encrypted block the keys allow
  gbcs parse FILE... [--keystore DIR]    the inspect fields plus the payload as named, typed JSON; with keys,
                                         MACs and signatures checked and encrypted blocks decrypted
  gbcs mac FILE... --keystore DIR        MAC-protect a General-Signing APDU into its DD command
  gbcs sign FILE... --key KEY            sign Pre-Commands (PKCS#8 key): the Signed Pre-Command, hex
  gbcs correlate REQUEST.xml PRECOMMAND [REQUEST.xml PRECOMMAND ...] [--device-type T]
                                         where each Pre-Command disagrees with its DUIS request, field by field

DUIS Service Requests (XML files, or - for standard input; JSON Lines out):
  duis parse FILE...                     RequestID, Command Variant, SR/SRV and the typed body
  duis validate FILE...                  the parse fields plus every offline check
  duis sign FILE... --key KEY --cert CERT  the request with its XML signature (PKCS#8 key, PEM certificate)
  duis transform FILE... [--keystore DIR] [--device-type T]
                                         the GBCS Pre-Command (critical) or MAC'd command of each request
  duis send FILE... --key KEY --cert CERT [--url URL] [--preserve-counter]
                                         sign (counter = now in ms), POST to the right endpoint, print the answer
  duis pre-command ANSWER                the Pre-Command in the answer to a Command Variant 4 request, as hex
                                         (ANSWER: duis send's output or a DUIS Response; feeds gbcs sign)
  duis signed-pre-command ANSWER SIGNED  the Command Variant 5 request (same RequestID) carrying gbcs sign's
                                         signed Pre-Command, as XML (feeds duis send --preserve-counter)

The gateway:
  start [--port N] [--premises N] [--data DIR] [--runtime node|workerd] [--store postgres://...]
                                         the gateway with a demo DCC: users, keys (in DIR/keys), a fleet of
                                         emulated devices that answer (Node; premises 0 has the reference IDs);
                                         state in DIR/db (embedded) or the PostgreSQL server named, devices in
                                         DIR/devices.msgpack; prints a session to try
        [--plugins MODULE,...]           more plugins to start (Node): migrations, setup, routes, jobs

Benchmarks:
  bench [SUITE] [--time MS]              run benchmark suites (kernel), write bench/results/*.json, print a table
  bench e2e [--seconds S] [--premises N] [--connections C] [--store embedded|memory] [--profile]
                                         a gateway process with a fleet, loaded with signed DUIS over HTTP through
                                         to the emulated devices and back; one JSON line, bench/results/e2e.json

Fleets:
  fleet provision --premises N [--snapshot FILE]
                                         provision N premises of emulated devices with inventory and registration
                                         data; JSON summary with seconds and bytes per premises; msgpack snapshot

Other:
  selftest                               known-answer tests of the WASM kernel on this runtime
  help                                   this text

Exit status: 0 every input ok, 1 some input not ok, 2 bad usage.
Keystore folders hold <eui>[-pp]-<ds|ka>.<pem|key> files (certificates and PKCS#8 keys).`;

type Options = Record<string, string | boolean | undefined>;
const text = (value: string | boolean | undefined): string | undefined => (typeof value === "string" ? value : undefined);

async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      keystore: { type: "string" }, time: { type: "string" }, key: { type: "string" }, cert: { type: "string" },
      url: { type: "string" }, "preserve-counter": { type: "boolean" }, "device-type": { type: "string" },
      port: { type: "string" }, premises: { type: "string" }, runtime: { type: "string" }, store: { type: "string" }, data: { type: "string" }, plugins: { type: "string" },
      seconds: { type: "string" }, connections: { type: "string" }, profile: { type: "boolean" }, snapshot: { type: "string" },
      help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  const options: Options = values;
  if (values.help || command === "help") {
    console.log(HELP);
    return 0;
  }
  switch (command) {
    case undefined: {
      console.log(HELP);
      console.log("\nKernel self-test:");
      return (await selftest(console.log)) === 0 ? 0 : 1;
    }
    case "selftest":
      return (await selftest(console.log)) === 0 ? 0 : 1;
    case "gbcs":
      return gbcs(rest, options);
    case "duis":
      return duis(rest, options);
    case "start":
      if (rest.length > 0) throw new UsageError(`start takes no arguments, only options (got "${rest.join(" ")}")`);
      return start({ port: text(options.port), premises: text(options.premises), runtime: text(options.runtime), store: text(options.store), data: text(options.data), plugins: text(options.plugins) });
    case "bench":
      if (rest[0] === "e2e" && rest.length === 1) {
        return benchE2e({ seconds: text(options.seconds), premises: text(options.premises), connections: text(options.connections), store: text(options.store), profile: options.profile === true });
      }
      return bench(rest, text(options.time));
    case "fleet":
      return fleetProvision(rest, { premises: text(options.premises), snapshot: text(options.snapshot) });
    default:
      throw new UsageError(`unknown command "${command}" (see opendcc help)`);
  }
}

function duis([sub, ...files]: readonly string[], options: Options): Promise<number> {
  switch (sub) {
    case "parse":
      return duisParse(files);
    case "validate":
      return duisValidate(files);
    case "sign":
      return duisSign(files, text(options.key), text(options.cert));
    case "transform":
      return duisTransform(files, text(options.keystore), text(options["device-type"]));
    case "pre-command":
      return duisPreCommand(files);
    case "signed-pre-command":
      return duisSignedPreCommand(files);
    case "send":
      return duisSend(files, text(options.key), text(options.cert), text(options.url), options["preserve-counter"] === true);
    default:
      throw new UsageError(sub ? `unknown duis command "${sub}" (parse, validate, sign, transform, send, pre-command, signed-pre-command)` : "duis needs a command: parse, validate, sign, transform, send, pre-command or signed-pre-command");
  }
}

function gbcs([sub, ...files]: readonly string[], options: Options): Promise<number> {
  switch (sub) {
    case "inspect":
      return inspect(files);
    case "verify":
      return verify(files, text(options.keystore));
    case "parse":
      return gbcsParse(files, text(options.keystore));
    case "mac":
      return mac(files, text(options.keystore));
    case "sign":
      return gbcsSign(files, text(options.key));
    case "correlate":
      return correlateFiles(files, text(options["device-type"]));
    default:
      throw new UsageError(sub ? `unknown gbcs command "${sub}" (inspect, verify, parse, mac, sign, correlate)` : "gbcs needs a command: inspect, verify, parse, mac, sign or correlate");
  }
}

// A closed pipe (e.g. `| head`) ends the output quietly instead of with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(`opendcc: ${(error as Error).message}`);
  process.exitCode = usage ? 2 : 1;
}
