/**
 * NetFlow v9 templates as argus keeps them, sensor and clients alike: per
 * exporter (source id and address), each dropped once 1800 s older than
 * the time the reader goes by (packet time in the sensor, the clock in the
 * clients).
 * @module
 */

/** Bytes of a v9 packet header. */
export const V9_HEADER = 20;

/** A template is dropped when this much older than "now", seconds. */
const TEMPLATE_TIMEOUT = 1800;

/** A template: its fields as [type, length] pairs, and when it came. */
export interface Template {
  fields: [number, number][];
  /** When it came (in the reader's time), seconds. */
  seen: number;
}

/** The templates of every exporter seen. */
export class V9Templates {
  readonly #exporters = new Map<string, Map<number, Template>>();

  /** The key of an exporter: its source id and address. */
  static key(sourceId: number, exporter: number): string {
    return `${sourceId}/${exporter}`;
  }

  /** Keeps template `id` of `exporter` (replacing any older one). */
  set(
    exporter: string,
    id: number,
    fields: [number, number][],
    now: number,
  ): void {
    let set = this.#exporters.get(exporter);
    if (set === undefined) this.#exporters.set(exporter, set = new Map());
    set.set(id, { fields, seen: now });
  }

  /** Template `id` of `exporter`, unless unknown or timed out (then dropped). */
  find(exporter: string, id: number, now: number): Template | undefined {
    const set = this.#exporters.get(exporter);
    const t = set?.get(id);
    if (set === undefined || t === undefined) return undefined;
    if (t.seen + TEMPLATE_TIMEOUT > now) return t;
    set.delete(id);
    return undefined;
  }
}
