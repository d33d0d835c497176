/**
 * ragraph -w x.png: the SVG rendered by rsvg-convert (Debian librsvg2-bin)
 * when it is installed; without it, one line saying so.
 * @module
 */

/** Why a PNG could not be made. */
export class PngError extends Error {
  override name = "PngError";
}

/** Writes `svg` as a PNG file at `path` through rsvg-convert. */
export async function writePng(svg: string, path: string): Promise<void> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("rsvg-convert", {
      args: ["-f", "png", "-o", path],
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new PngError(
        `Cannot write "${path}": PNG needs rsvg-convert (apt-get install librsvg2-bin); -w x.svg writes SVG`,
      );
    }
    throw e;
  }
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(svg));
  await w.close();
  const out = await child.output();
  if (!out.success) {
    const why = new TextDecoder().decode(out.stderr).trim().split("\n")[0];
    throw new PngError(`Cannot write "${path}": rsvg-convert failed: ${why}`);
  }
}
