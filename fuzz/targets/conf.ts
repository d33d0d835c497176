/**
 * Fuzz target "conf": mutated argus.conf(5) text through `argus -F file`'s
 * option parsing (parseConf, then every variable's value rules). A
 * UsageError (ConfigError included) is a refusal: argus prints one line
 * and exits 2.
 * @module
 */

import { UsageError } from "../../src/cli/mod.ts";
import { parseArgusOptions } from "../../src/programs/argus/options.ts";
import { ARGUS_CONF_VARIABLES } from "../../src/programs/argus/options_from_conf.ts";
import type { FuzzTarget } from "../target.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Sample configurations shipped and tested. */
const SEED_FILES = [
  "../../appliance/argus.conf",
  "../../tests/testdata/cli/argus.conf",
  "../../tests/testdata/cli/garbage.conf",
  "../../tests/testdata/cli/unterminated.conf",
];

/** Values worth trying in any variable. */
const VALUES = [
  "yes",
  "no",
  "0",
  "-1",
  "65536",
  "99999999999999999999",
  "1e9",
  "10s",
  "5m",
  "0x1f",
  "`hostname`",
  "1.2.3.4",
  "::1",
  "ip and",
  "/dev/null",
  "argus-udp://127.0.0.1:561",
  "eth0,eth1",
  "ind:all",
  "cisco://127.0.0.1",
  '"',
  " //",
  "\t//",
  "\r",
];

/** Runs `argus -X -F fuzz.conf` option parsing on the text. */
export function runConf(input: Uint8Array): void {
  const text = decoder.decode(input);
  parseArgusOptions(["-X", "-F", "fuzz.conf"], {
    readFile: () => text,
    resolveHost: (name) => name === "localhost" ? 0x7f000001 : undefined,
    hostname: () => "fuzzhost",
    posixlyCorrect: false,
  });
}

export const confTarget: FuzzTarget = {
  name: "conf",
  description: "argus.conf text -> parseConf -> argus option values",
  maxSize: 16 * 1024,
  dictionary: [
    ...[...ARGUS_CONF_VARIABLES].map((n) => encoder.encode(`\n${n}=`)),
    ...VALUES.map((v) => encoder.encode(v)),
  ],
  async seeds() {
    const out: Uint8Array[] = [];
    for (const f of SEED_FILES) {
      out.push(await Deno.readFile(new URL(f, import.meta.url)));
    }
    // One line per variable, each with a value it takes.
    out.push(
      encoder.encode(
        [...ARGUS_CONF_VARIABLES].map((n, i) =>
          `${n}=${VALUES[i % VALUES.length]}`
        ).join("\n"),
      ),
    );
    return out;
  },
  run: runConf,
  expected: (e) => e instanceof UsageError,
};
