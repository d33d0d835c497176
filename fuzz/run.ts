/**
 * `deno task fuzz [--seed N] [--inputs N] [--target name] ...`: runs the
 * seeded fuzz campaign over every parser that sees outside bytes (issue 7
 * part 1) and prints, per target, inputs run, refusals, crashes and
 * hangs. Crashing inputs go to --crash-dir. Exit status 1 when anything
 * crashed or hung.
 * @module
 */

import { runCampaign, type TargetResult } from "./campaign.ts";
import { TARGETS } from "./targets/mod.ts";

const USAGE =
  `usage: deno task fuzz [--seed N] [--inputs N] [--target name[,name]]
       [--from N] [--jobs N] [--budget-ms N] [--crash-dir DIR]
  --inputs is the total, shared equally by the targets (default 70000)
  targets: ${TARGETS.map((t) => t.name).join(", ")}`;

interface Args {
  seed: number;
  inputs: number;
  targets: string[];
  from: number;
  jobs: number;
  budgetMs: number;
  crashDir: string;
}

function parseArgs(argv: string[]): Args | string {
  const a: Args = {
    seed: 1,
    inputs: 70_000,
    targets: TARGETS.map((t) => t.name),
    from: 0,
    jobs: 1,
    budgetMs: 2000,
    crashDir: "/tmp/argus-fuzz-crashes",
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[++i];
    if (value === undefined) return `${flag}: missing value`;
    const n = Number(value);
    const count = () => Number.isSafeInteger(n) && n >= 0;
    switch (flag) {
      case "--seed":
      case "--inputs":
      case "--from":
      case "--jobs":
      case "--budget-ms":
        if (!count()) return `${flag}: not a count: "${value}"`;
        if (flag === "--seed") a.seed = n;
        else if (flag === "--inputs") a.inputs = n;
        else if (flag === "--from") a.from = n;
        else if (flag === "--jobs") a.jobs = Math.max(1, n);
        else a.budgetMs = n;
        break;
      case "--target": {
        const names = value.split(",");
        const bad = names.find((t) => !TARGETS.some((x) => x.name === t));
        if (bad !== undefined) return `--target: no target "${bad}"`;
        a.targets = names;
        break;
      }
      case "--crash-dir":
        a.crashDir = value;
        break;
      default:
        return `unknown option "${flag}"`;
    }
  }
  return a;
}

function line(r: TargetResult): string {
  const crashes = r.findings.filter((f) => f.kind === "crash");
  const hangs = r.findings.filter((f) => f.kind === "hang");
  const causes = new Set(crashes.map((f) => f.signature)).size;
  return `${r.target.padEnd(8)} inputs ${String(r.counts.inputs).padStart(8)}` +
    `  ok ${String(r.counts.ok).padStart(8)}  refused ${
      String(r.counts.refused).padStart(8)
    }  crashes ${String(crashes.length).padStart(5)} (${causes} causes)` +
    `  hangs ${String(hangs.length).padStart(3)}  max ${
      r.counts.maxMs.toFixed(0)
    } ms  ${(r.counts.inputs / r.seconds).toFixed(0)}/s`;
}

async function main(): Promise<number> {
  const a = parseArgs(Deno.args);
  if (typeof a === "string") {
    console.error(`fuzz: ${a}\n${USAGE}`);
    return 2;
  }
  const per = Math.ceil(a.inputs / a.targets.length);
  console.log(
    `fuzz: seed ${a.seed}, inputs ${a.from}..${a.from + per} of each of ${
      a.targets.join(", ")
    }`,
  );
  const results = await runCampaign({
    targets: a.targets,
    seed: a.seed,
    inputs: per,
    from: a.from,
    jobs: a.jobs,
    budgetMs: a.budgetMs,
    crashDir: a.crashDir,
    onTarget: (r) => {
      console.log(line(r));
      const shown = new Set<string>();
      for (const f of r.findings) {
        if (shown.has(f.signature)) continue;
        shown.add(f.signature);
        console.log(`  ${f.kind} #${f.index}: ${f.signature}`);
      }
    },
  });
  let inputs = 0, bad = 0;
  for (const r of results) {
    inputs += r.counts.inputs;
    bad += r.findings.length;
  }
  console.log(
    `fuzz: ${inputs} inputs, ${bad} crashes or hangs${
      bad > 0 ? ` (inputs in ${a.crashDir})` : ""
    }`,
  );
  return bad > 0 ? 1 : 0;
}

Deno.exitCode = await main();
