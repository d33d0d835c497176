/**
 * `deno task install-links DIR [BINARY]` (scripts/install_links.ts): the
 * six program links, idempotent, never over someone else's file, one-line
 * errors. Which program a link runs is dispatch_test.ts's part.
 * @module
 */

import assert from "node:assert/strict";
import { run } from "../_util/oracle.ts";
import { PROGRAM_NAMES } from "../../src/programs/dispatch.ts";

const SCRIPT = new URL("../../scripts/install_links.ts", import.meta.url)
  .pathname;

function installLinks(...args: string[]) {
  return run(Deno.execPath(), [
    "run",
    "--allow-read",
    "--allow-write",
    SCRIPT,
    ...args,
  ]);
}

async function links(dir: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for await (const e of Deno.readDir(dir)) {
    if (e.isSymlink) found[e.name] = await Deno.readLink(`${dir}/${e.name}`);
  }
  return found;
}

Deno.test("install-links: every program name, relative beside the binary, idempotent", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ilk-rel-" });
  try {
    await Deno.writeTextFile(`${dir}/argus`, "#!/bin/sh\n");
    const first = await installLinks(dir, `${dir}/argus`);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      new RegExp(
        `${PROGRAM_NAMES.filter((n) => n !== "argus").join(", ")} in `,
      ),
    );
    const expected = Object.fromEntries(
      PROGRAM_NAMES.filter((n) => n !== "argus").map((n) => [n, "argus"]),
    );
    assert.deepEqual(await links(dir), expected);
    const again = await installLinks(dir, `${dir}/argus`);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /all links in .* already point to /);
    assert.deepEqual(await links(dir), expected);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("install-links: absolute links in another directory, argus included", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ilk-abs-" });
  try {
    await Deno.mkdir(`${dir}/opt`);
    await Deno.mkdir(`${dir}/bin`);
    const binary = `${dir}/opt/argus-ts`;
    await Deno.writeTextFile(binary, "#!/bin/sh\n");
    const out = await installLinks(`${dir}/bin`, binary);
    assert.equal(out.code, 0, out.stderr);
    const real = await Deno.realPath(binary);
    assert.deepEqual(
      await links(`${dir}/bin`),
      Object.fromEntries(PROGRAM_NAMES.map((n) => [n, real])),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("install-links: bad input is one line and creates nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ilk-bad-" });
  try {
    const binary = `${dir}/argus`;
    await Deno.writeTextFile(binary, "#!/bin/sh\n");
    const cases: [string[], number, RegExp][] = [
      [[], 2, /^usage: deno task install-links DIR \[BINARY\]$/],
      [
        [`${dir}/nodir`, binary],
        1,
        /^install-links: Cannot install links in ".*nodir": not a directory$/,
      ],
      [
        [dir, `${dir}/missing`],
        1,
        /^install-links: Cannot link to ".*missing": no such file$/,
      ],
      // The default binary, not built: say how to build it.
      [
        [dir],
        1,
        /dist\/argus": no such file \(build it with deno task compile, or name a binary\)$/,
      ],
    ];
    for (const [args, code, line] of cases) {
      const out = await installLinks(...args);
      assert.equal(out.code, code, args.join(" "));
      assert.equal(out.stderr.trimEnd().split("\n").length, 1, out.stderr);
      assert.match(out.stderr.trimEnd(), line);
    }
    // A real file named ra (say the real argus's) is never replaced, and
    // no other link is made before that is found.
    await Deno.writeTextFile(`${dir}/ra`, "real ra\n");
    const blocked = await installLinks(dir, binary);
    assert.equal(blocked.code, 1);
    assert.match(
      blocked.stderr.trimEnd(),
      /^install-links: Cannot link ".*\/ra": it exists and is not a link to "argus" \(remove it first\)$/,
    );
    assert.deepEqual(await links(dir), {});
    assert.equal(await Deno.readTextFile(`${dir}/ra`), "real ra\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
