/**
 * The CI subset of the fuzz campaign (issue 7 part 1): a seeded run of
 * about 22,000 inputs over every target must end with no crash and no
 * hang. `deno task fuzz` runs the full campaign.
 * @module
 */

import assert from "node:assert/strict";
import { runCampaign } from "../../fuzz/campaign.ts";
import { TARGETS } from "../../fuzz/targets/mod.ts";

/** Inputs per target: the slow ones (whole programs) get fewer. */
const INPUTS: Record<string, number> = {
  capture: 3000,
  argus: 600,
  records: 3000,
  clients: 1200,
  conf: 3000,
  filter: 3500,
  bpf: 3500,
  access: 3000,
  remote: 1500,
};

Deno.test({
  name: "fuzz: a seeded ~20k-input run finds no crash and no hang",
  // Workers outlive nothing, but the clients target's temporary files and
  // sockets are per worker.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    for (const target of TARGETS) {
      await t.step(target.name, async () => {
        const [r] = await runCampaign({
          targets: [target.name],
          seed: 20261203,
          inputs: INPUTS[target.name] ?? 2000,
          jobs: 1,
          budgetMs: 2000,
        });
        assert.ok(r !== undefined);
        assert.equal(r.counts.inputs, INPUTS[target.name] ?? 2000);
        assert.deepEqual(
          r.findings.map((f) =>
            `${f.kind} #${f.index}: ${f.signature}: ${f.message}`
          ),
          [],
        );
      });
    }
  },
});

Deno.test({
  name: "fuzz: an input over its time budget is reported as a hang",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // A budget of 0 ms: every input takes longer (a whole ra run each).
    const [r] = await runCampaign({
      targets: ["clients"],
      seed: 5,
      inputs: 20,
      from: 100,
      budgetMs: 0,
    });
    assert.ok(r !== undefined);
    assert.equal(r.findings.length, 20);
    assert.ok(r.findings.every((f) => f.kind === "hang"));
    assert.deepEqual(
      r.findings.map((f) => f.index).sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => 100 + i),
    );
  },
});
