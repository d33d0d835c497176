/**
 * The V8 flags `deno compile` bakes into dist/argus, and that the bundle
 * runs with where it stands for the binary (bench/startup_bench.ts):
 * tuned for a short run (issue 6: argus -r on 10k packets in ≤ 0.1 s)
 * without costing the long ones (bench/vs_argus.ts, 1M packets).
 * @module
 */

/** The flags, each with why (measured with 9-15 interleaved runs). */
export const BAKED_V8_FLAGS: readonly string[] = [
  // A 2 MB young generation: the sensor's peak RSS on 1M packets falls
  // from ~160 to ~105 MB at no cost in time. (8 MB would spare argus -r
  // 10k its three scavenges, ~3 ms, for ~15 MB more RSS on 1M packets.)
  "--max-semi-space-size=2",
  // No on-stack replacement. In a short run the one loop that would get it
  // (Sensor.push over a batch) is compiled by TurboFan in 30-40 ms of
  // background work that deopts as soon as a packet takes a path not seen
  // yet: without it argus -r 10k takes ~6 ms less (-13% in the sensor),
  // and its callees still get optimized by their calls. argus on 1M
  // packets, ra, racluster and rasort on 460k records: no change beyond
  // the noise (5 interleaved runs each).
  "--no-use-osr",
];

/** BAKED_V8_FLAGS as the one deno argument. */
export const V8_FLAGS_ARG = `--v8-flags=${BAKED_V8_FLAGS.join(",")}`;
