/**
 * The multi-call entry picks the program by first argument or invoked name.
 * @module
 */

import assert from "node:assert/strict";
import { chooseProgram } from "../../src/programs/dispatch.ts";

Deno.test("chooseProgram: first argument, then invoked name", () => {
  assert.deepEqual(chooseProgram("deno", ["argus", "-r", "x"]), {
    program: "argus",
    args: ["-r", "x"],
  });
  assert.deepEqual(chooseProgram("/usr/local/bin/ra", ["-r", "x"]), {
    program: "ra",
    args: ["-r", "x"],
  });
  assert.deepEqual(chooseProgram("/opt/dist/argus", ["ra", "-r", "x"]), {
    program: "ra",
    args: ["-r", "x"],
  });
  assert.deepEqual(chooseProgram("/opt/dist/argus", ["-r", "x"]), {
    program: "argus",
    args: ["-r", "x"],
  });
  assert.equal(chooseProgram("deno", ["-r", "x"]), null);
  // main.ts asks first without argv0 (loading node:process costs ~10 ms).
  assert.equal(chooseProgram("", ["-r", "x"]), null);
  assert.deepEqual(chooseProgram("", ["ragrep", "-e", "x"]), {
    program: "ragrep",
    args: ["-e", "x"],
  });
  assert.deepEqual(
    chooseProgram("deno", ["./argus"]),
    null,
    "a path is an operand, not a program name",
  );
});
