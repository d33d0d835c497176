/**
 * SpillDir: the temporary directory a racluster run spills to, made on
 * first use (Deno.makeTempDir, so under $TMPDIR) and removed whole by
 * `close`, which the run calls on every way out; while it exists, exit
 * (unload) and SIGINT, SIGTERM or SIGHUP (which would otherwise kill the
 * process where it stands) remove it too.
 * @module
 */

/** The signals that end a run, with the exit status a shell would show. */
const SIGNALS: readonly [Deno.Signal, number][] = [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
];

/** A lazily made temporary directory handing out fresh file names. */
export class SpillDir {
  #path: string | null = null;
  #files = 0;
  readonly #exitOnSignal: boolean;
  readonly #onUnload = () => this.close();
  readonly #onSignal = SIGNALS.map(([, status]) => () => {
    this.close();
    Deno.exit(status);
  });

  /**
   * `exitOnSignal`: false when the caller already ends the run cleanly
   * on those signals (a -S stream finishes what it read, then closes).
   */
  constructor(exitOnSignal = true) {
    this.#exitOnSignal = exitOnSignal;
  }

  /** A path for a new file in the directory. */
  file(what: string): string {
    if (this.#path === null) {
      this.#path = Deno.makeTempDirSync({ prefix: "racluster-" });
      globalThis.addEventListener("unload", this.#onUnload);
      if (this.#exitOnSignal) {
        SIGNALS.forEach(([sig], i) =>
          Deno.addSignalListener(sig, this.#onSignal[i]!)
        );
      }
    }
    return `${this.#path}/${what}${this.#files++}`;
  }

  /** Removes the directory and all in it (again: nothing). */
  close(): void {
    if (this.#path === null) return;
    const path = this.#path;
    this.#path = null;
    globalThis.removeEventListener("unload", this.#onUnload);
    if (this.#exitOnSignal) {
      SIGNALS.forEach(([sig], i) =>
        Deno.removeSignalListener(sig, this.#onSignal[i]!)
      );
    }
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
