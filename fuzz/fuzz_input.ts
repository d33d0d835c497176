/**
 * The fuzz input number `index` of a target for a run seed: a seed input
 * picked and mutated by a generator seeded from (run seed, target name,
 * index) alone, so any input can be made again without the ones before.
 * @module
 */

import { mutate } from "./mutate.ts";
import { mixSeed, Prng } from "./prng.ts";
import type { FuzzTarget } from "./target.ts";

/** A stable 32-bit hash of a name (FNV-1a). */
export function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h;
}

/** Input `index` of `target` in the run seeded `seed`. */
export function fuzzInput(
  target: FuzzTarget,
  seeds: readonly Uint8Array[],
  seed: number,
  index: number,
): Uint8Array {
  const rng = new Prng(
    mixSeed(seed, nameHash(target.name), index, Math.floor(index / 2 ** 32)),
  );
  const base = seeds.length > 0 ? rng.pick(seeds) : new Uint8Array(0);
  const other = seeds.length > 0 ? rng.pick(seeds) : base;
  // A few seeds go in as they are: they must pass too.
  if (rng.chance(0.01)) return base;
  if (target.generate !== undefined && rng.chance(0.5)) {
    const made = target.generate(rng, seeds);
    return rng.chance(0.5) ? made : mutate(rng, made, other, target);
  }
  return mutate(rng, base, other, target);
}
