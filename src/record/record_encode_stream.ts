/**
 * RecordEncodeStream: the thin stream stage over RecordWriter. Each batch
 * of record models becomes one chunk of Argus 3 bytes
 * (docs/record-format.md), so stream overhead is paid per batch.
 * @module
 */

import type { ArgusRecord } from "./argus_record.ts";
import { RecordWriter } from "./record_writer.ts";

/** Record batches in, byte chunks out (each chunk a fresh copy). */
export class RecordEncodeStream
  extends TransformStream<ArgusRecord[], Uint8Array> {
  constructor() {
    const writer = new RecordWriter();
    super({
      transform(batch, controller) {
        writer.clear();
        for (const r of batch) writer.write(r);
        if (writer.length > 0) controller.enqueue(writer.bytes().slice());
      },
    });
  }
}
