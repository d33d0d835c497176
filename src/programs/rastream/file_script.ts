/**
 * rastream -f: the program run on each closed file, one at a time in the
 * order the files closed, as `program -r path` through the shell (the
 * real rastream hands " program -r path" to system(3), so the program
 * text may carry its own arguments); the path is quoted here.
 * @module
 */

/** Runs the -f program on closed files, in order, in the background. */
export class FileScript {
  readonly #program: string;
  #queue: Promise<void> = Promise.resolve();
  readonly #log: (line: string) => void;

  constructor(program: string, log: (line: string) => void) {
    this.#program = program;
    this.#log = log;
  }

  /** Queues a run on `path`. */
  schedule(path: string): void {
    this.#queue = this.#queue.then(() => this.#run(path));
  }

  /** Resolves when every queued run has ended. */
  drain(): Promise<void> {
    return this.#queue;
  }

  async #run(path: string): Promise<void> {
    try {
      const child = new Deno.Command("/bin/sh", {
        args: ["-c", `${this.#program} -r "$1"`, "sh", path],
        stdin: "null",
      }).spawn();
      const status = await child.status;
      if (!status.success) {
        this.#log(
          `'${this.#program} -r ${path}' failed: exit status ${status.code}`,
        );
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.#log(`'${this.#program} -r ${path}' failed: ${message}`);
    }
  }
}
