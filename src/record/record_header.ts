/**
 * The 4-byte header every Argus 3 record starts with: type (high nibble)
 * and version (low nibble), cause (high nibble) and options (low nibble),
 * then the record length in 32-bit words, header included
 * (docs/record-format.md §1).
 * @module
 */

/** Record types (header byte 0, high nibble). */
export const RecordType = {
  FAR: 0x10,
  INDEX: 0x20,
  NETFLOW: 0x30,
  EVENT: 0x40,
  DATASUP: 0x50,
  ARCHIVAL: 0x60,
  MAR: 0x80,
} as const;

/**
 * Record causes (header byte 1, high nibble). A flow's first record is
 * START even when it is also its last; later ones are STATUS; STOP marks a
 * TCP flow closed by a reset; TIMEOUT an expired fragment flow.
 */
export const Cause = {
  START: 0x10,
  STATUS: 0x20,
  STOP: 0x30,
  TIMEOUT: 0x40,
  FLUSH: 0x50,
  SHUTDOWN: 0x60,
  CLOSED: 0x70,
  ERROR: 0x80,
  SUPPLEMENTAL: 0x90,
} as const;

/** The only record version this codec reads and writes. */
export const ARGUS_VERSION = 3;

/** The cookie an Argus 3 stream's opening MAR holds in its argusid field. */
export const ARGUS_COOKIE = 0xe5712dcb;

/** The cookie of an Argus 2 stream's opening MAR (same offset). */
export const ARGUS_V2_COOKIE = 0xe5617acb;

/** Length of a management record in words, header included. */
export const MAR_WORDS = 32;

/** Largest record argus accepts, in bytes (ARGUS_MAXRECORDSIZE). */
export const MAX_RECORD_BYTES = 0x40000;
