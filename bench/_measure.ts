/**
 * Whole-process measurement for the comparison scripts: wall time, CPU
 * time and peak RSS of one command, read from GNU time's -v report, and
 * the median of several samples.
 * @module
 */

/** One run of a command. */
export interface Sample {
  wall: number;
  cpu: number;
  rss: number;
}

/** Runs a command under /usr/bin/time -v, its output to /dev/null. */
export async function measure(cmd: string[]): Promise<Sample> {
  const report = await Deno.makeTempFile();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-v", "-o", report, ...cmd],
    stdout: "null",
    stderr: "piped",
  }).output();
  const text = await Deno.readTextFile(report);
  await Deno.remove(report);
  const stderr = new TextDecoder().decode(out.stderr);
  // Exit 1 alone is ra's "the filter matched nothing", not a failure.
  if (out.code > 1 || (out.code === 1 && stderr.trim() !== "")) {
    throw new Error(`${cmd.join(" ")} failed:\n${stderr}`);
  }
  const num = (re: RegExp) => Number(text.match(re)?.[1] ?? NaN);
  const wallText = text.match(
    /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/,
  );
  const wall = wallText
    ? Number(wallText[1] ?? 0) * 3600 + Number(wallText[2]) * 60 +
      Number(wallText[3])
    : NaN;
  return {
    wall,
    cpu: num(/User time \(seconds\): ([\d.]+)/) +
      num(/System time \(seconds\): ([\d.]+)/),
    rss: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
  };
}

/** The median of a list of numbers. */
export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Medians of each measure over samples. */
export function medians(samples: Sample[]): Sample {
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    rss: median(samples.map((s) => s.rss)),
  };
}
