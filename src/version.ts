/**
 * The version this build reports: the Argus release it follows, and ours.
 * @module
 */

/** argus-ts version, after the Argus 3.0.8.2 it reproduces. */
export const VERSION = "3.0.8.2-ts.0.1";
