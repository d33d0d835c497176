/**
 * The real ra (argus-client 3.0.8.2) as a test oracle for the record codec:
 * prints chosen fields of a record file as rows, one per record, in file
 * order (`ra -X -nn -u -p 6 -c , -L -1 -s FIELDS -r FILE`).
 * @module
 */

/** What ra printed. */
export interface RaRows {
  /** One array of field texts per printed record (untrimmed). */
  rows: string[][];
  stderr: string;
  code: number;
}

/**
 * Runs the real ra on `file` and splits its output.
 * @param fields ra -s field names
 * @param extra more ra options (e.g. ["-M", "man"] to include MARs)
 */
export async function realRa(
  file: string,
  fields: string[],
  extra: string[] = [],
): Promise<RaRows> {
  const out = await new Deno.Command("ra", {
    args: [
      "-X",
      "-nn",
      "-u",
      "-p",
      "6",
      "-c",
      ",",
      "-L",
      "-1",
      ...extra,
      "-r",
      file,
      "-s",
      ...fields,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  const text = dec.decode(out.stdout);
  const rows = text.split("\n").filter((l) => l.length > 0).map((l) =>
    l.split(",")
  );
  return { rows, stderr: dec.decode(out.stderr), code: out.code };
}
