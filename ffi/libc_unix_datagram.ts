/**
 * A Unix-domain datagram socket through the C library: what syslog(3)
 * writes to /dev/log, for the daemon's log (argus(8) logs through syslog
 * once it is a daemon). Deno's own Unix datagram sockets need --unstable-net,
 * this does not. Sends never raise SIGPIPE and never block.
 * @module
 */

import { toCString } from "./c_string.ts";
import { lastError, openLibc } from "./load_libc.ts";

const SOCKET_SYMBOLS = {
  /** int socket(int domain, int type, int protocol) */
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  /** int bind(int fd, const struct sockaddr *addr, socklen_t len) */
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  /**
   * ssize_t sendto(int fd, const void *buf, size_t len, int flags,
   *                const struct sockaddr *addr, socklen_t addrlen)
   */
  sendto: {
    parameters: ["i32", "buffer", "usize", "i32", "buffer", "u32"],
    result: "isize",
  },
  /** ssize_t recv(int fd, void *buf, size_t len, int flags) */
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  /** int close(int fd) */
  close: { parameters: ["i32"], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const MSG_DONTWAIT = 0x40;
const MSG_NOSIGNAL = 0x4000;
/** sizeof(struct sockaddr_un): sa_family_t (2 bytes) + sun_path[108]. */
const SOCKADDR_UN_SIZE = 110;

let loaded: Deno.DynamicLibrary<typeof SOCKET_SYMBOLS>["symbols"] | null = null;

function libc(): Deno.DynamicLibrary<typeof SOCKET_SYMBOLS>["symbols"] {
  loaded ??= openLibc(SOCKET_SYMBOLS);
  return loaded;
}

/** struct sockaddr_un for `path`, in host byte order (AF_UNIX first). */
function socketAddress(path: string): Uint8Array<ArrayBuffer> {
  const name = toCString(path);
  if (name.length > SOCKADDR_UN_SIZE - 2) {
    throw new Error(`Socket path "${path}" is too long`);
  }
  const addr = new Uint8Array(SOCKADDR_UN_SIZE);
  new DataView(addr.buffer).setUint16(0, AF_UNIX, true);
  addr.set(name, 2);
  return addr;
}

/** One AF_UNIX SOCK_DGRAM socket; close it when done. */
export class UnixDatagramSocket {
  #fd: number;
  /** The last destination and its sockaddr, reused for every message. */
  #to = "";
  #toAddr: Uint8Array<ArrayBuffer> = new Uint8Array(0);

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /** An unbound socket, for sending. */
  static open(): UnixDatagramSocket {
    const fd = libc().socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw new Error(`socket(AF_UNIX) failed: ${lastError().text}`);
    return new UnixDatagramSocket(fd);
  }

  /** A socket bound to `path` (which must not exist), for receiving. */
  static bind(path: string): UnixDatagramSocket {
    const socket = UnixDatagramSocket.open();
    const addr = socketAddress(path);
    if (libc().bind(socket.#fd, addr, addr.length) !== 0) {
      const why = lastError().text;
      socket.close();
      throw new Error(`Cannot bind "${path}": ${why}`);
    }
    return socket;
  }

  /**
   * Sends one datagram to the socket at `path`.
   * @returns false when it could not be sent (no listener, queue full)
   */
  sendTo(path: string, data: Uint8Array<ArrayBuffer>): boolean {
    if (this.#fd < 0) return false;
    if (path !== this.#to) {
      this.#toAddr = socketAddress(path);
      this.#to = path;
    }
    const n = libc().sendto(
      this.#fd,
      data,
      BigInt(data.length),
      MSG_DONTWAIT | MSG_NOSIGNAL,
      this.#toAddr,
      this.#toAddr.length,
    );
    return n >= 0;
  }

  /**
   * Takes one waiting datagram into `buf` without blocking.
   * @returns its length, or -1 when none is waiting
   */
  receive(buf: Uint8Array<ArrayBuffer>): number {
    if (this.#fd < 0) return -1;
    return Number(
      libc().recv(this.#fd, buf, BigInt(buf.length), MSG_DONTWAIT),
    );
  }

  /** Closes the socket (again is harmless). */
  close(): void {
    if (this.#fd >= 0) libc().close(this.#fd);
    this.#fd = -1;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
