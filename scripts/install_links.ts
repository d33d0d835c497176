/**
 * `deno task install-links DIR [BINARY]`: links argus, ra, racluster,
 * rasort, racount and ragrep in DIR to BINARY (default dist/argus), as
 * busybox --install does for its applets.
 * @module
 */

import { installLinks } from "./program_links.ts";

const DEFAULT_BINARY = new URL("../dist/argus", import.meta.url).pathname;

async function main(args: string[]): Promise<number> {
  if (args.length < 1 || args.length > 2 || args[0]!.startsWith("-")) {
    console.error("usage: deno task install-links DIR [BINARY]");
    return 2;
  }
  const [dir, binary = DEFAULT_BINARY] = args as [string, string?];
  try {
    const done = await installLinks(dir, binary);
    const made = done.filter((r) => r.state === "created").map((r) => r.name);
    console.log(
      made.length === 0
        ? `install-links: all links in ${dir} already point to ${binary}`
        : `install-links: ${made.join(", ")} in ${dir} now run ${binary}`,
    );
    return 0;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const hint = binary === DEFAULT_BINARY && why.startsWith("Cannot link to")
      ? " (build it with deno task compile, or name a binary)"
      : "";
    console.error(`install-links: ${why}${hint}`);
    return 1;
  }
}

Deno.exitCode = await main(Deno.args);
