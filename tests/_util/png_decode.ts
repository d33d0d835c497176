/**
 * A PNG reader for tests: chunks, the IDAT stream inflated with
 * DecompressionStream("deflate"), scanline filters undone, for 8-bit RGB
 * and RGBA (what rsvg-convert writes). Pixels come back as RGBA.
 * @module
 */

/** A decoded picture, 4 bytes (RGBA) per pixel, rows top down. */
export interface Picture {
  width: number;
  height: number;
  rgba: Uint8Array;
}

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a PNG file's bytes. */
export async function decodePng(bytes: Uint8Array): Promise<Picture> {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!sig.every((b, i) => bytes[i] === b)) throw new Error("Not a PNG");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0, height = 0, colourType = 0, depth = 0;
  const idat: Uint8Array[] = [];
  for (let p = 8; p + 8 <= bytes.length;) {
    const len = v.getUint32(p);
    const type = new TextDecoder().decode(bytes.subarray(p + 4, p + 8));
    const body = bytes.subarray(p + 8, p + 8 + len);
    if (type === "IHDR") {
      width = v.getUint32(p + 8);
      height = v.getUint32(p + 12);
      depth = body[8]!;
      colourType = body[9]!;
      if (body[12] !== 0) throw new Error("Interlaced PNG");
    } else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    p += 12 + len;
  }
  if (depth !== 8 || (colourType !== 2 && colourType !== 6)) {
    throw new Error(`PNG depth ${depth} colour type ${colourType} not read`);
  }
  const bpp = colourType === 6 ? 4 : 3;
  let size = 0;
  for (const c of idat) size += c.length;
  const joined = new Uint8Array(size);
  let at = 0;
  for (const c of idat) {
    joined.set(c, at);
    at += c.length;
  }
  const raw = await inflate(joined);
  const stride = width * bpp;
  const cur = new Uint8Array(stride), prev = new Uint8Array(stride);
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const base = y * (stride + 1);
    const filter = raw[base]!;
    for (let x = 0; x < stride; x++) {
      const r = raw[base + 1 + x]!;
      const a = x >= bpp ? cur[x - bpp]! : 0;
      const b = prev[x]!;
      const c = x >= bpp ? prev[x - bpp]! : 0;
      let val: number;
      switch (filter) {
        case 0:
          val = r;
          break;
        case 1:
          val = r + a;
          break;
        case 2:
          val = r + b;
          break;
        case 3:
          val = r + ((a + b) >> 1);
          break;
        case 4:
          val = r + paeth(a, b, c);
          break;
        default:
          throw new Error(`PNG filter ${filter}`);
      }
      cur[x] = val & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      rgba[o] = cur[x * bpp]!;
      rgba[o + 1] = cur[x * bpp + 1]!;
      rgba[o + 2] = cur[x * bpp + 2]!;
      rgba[o + 3] = bpp === 4 ? cur[x * bpp + 3]! : 255;
    }
    prev.set(cur);
  }
  return { width, height, rgba };
}
