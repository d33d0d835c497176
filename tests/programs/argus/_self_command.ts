/**
 * For daemon_test.ts: prints selfCommand(["argus", "-d"]) as JSON, the
 * command a daemon parent would start.
 * @module
 */

import { selfCommand } from "../../../src/programs/argus/daemon.ts";

console.log(JSON.stringify(selfCommand(["argus", "-d"])));
