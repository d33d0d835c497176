/**
 * SpillDir: the temporary directory a racluster run spills to, made on
 * first use (Deno.makeTempDir, so under $TMPDIR) and removed whole by
 * `close`, which the run calls on every way out.
 * @module
 */

/** A lazily made temporary directory handing out fresh file names. */
export class SpillDir {
  #path: string | null = null;
  #files = 0;

  /** A path for a new file in the directory. */
  file(what: string): string {
    this.#path ??= Deno.makeTempDirSync({ prefix: "racluster-" });
    return `${this.#path}/${what}${this.#files++}`;
  }

  /** Removes the directory and all in it (again: nothing). */
  close(): void {
    if (this.#path === null) return;
    const path = this.#path;
    this.#path = null;
    try {
      Deno.removeSync(path, { recursive: true });
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
}

/** Removes a spill file that has been read. */
export function removeSpill(path: string): void {
  Deno.removeSync(path);
}
