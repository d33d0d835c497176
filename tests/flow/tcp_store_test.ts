/**
 * TcpStore hands out cleared rows, takes them back for reuse, keeps every
 * row's numbers when it grows, wraps stores to 32 bits as argus's fields
 * do, and keeps µs times whole.
 * @module
 */

import assert from "node:assert/strict";
import {
  C_STATE,
  DST_SIDE,
  lastTime,
  S_SEQ,
  setLastTime,
  SRC_SIDE,
  TCP_ROW,
  TcpStore,
} from "../../src/flow/tcp_store.ts";

Deno.test("TcpStore: rows are distinct, cleared, and survive growth", () => {
  const store = new TcpStore(2);
  const rows: number[] = [];
  for (let i = 0; i < 9; i++) {
    const row = store.alloc();
    for (let j = 0; j < TCP_ROW; j++) {
      assert.equal(store.words[row + j], 0);
    }
    store.words[row + C_STATE] = i + 1;
    store.words[row + SRC_SIDE + S_SEQ] = 0xffff_fff0 + i;
    setLastTime(store.words, row + DST_SIDE, 1_764_000_000_123_456 + i);
    rows.push(row);
  }
  assert.equal(new Set(rows).size, 9);
  rows.forEach((row, i) => {
    assert.equal(store.words[row + C_STATE], i + 1);
    assert.equal(store.words[row + SRC_SIDE + S_SEQ], 0xffff_fff0 + i);
    assert.equal(
      lastTime(store.words, row + DST_SIDE),
      1_764_000_000_123_456 + i,
    );
    assert.equal(lastTime(store.words, row + SRC_SIDE), 0);
  });
});

Deno.test("TcpStore: stores wrap to unsigned 32 bits", () => {
  const store = new TcpStore(1);
  const row = store.alloc(), w = store.words;
  w[row + SRC_SIDE + S_SEQ] = -1;
  assert.equal(w[row + SRC_SIDE + S_SEQ], 0xffff_ffff);
  w[row + SRC_SIDE + S_SEQ]! += 2;
  assert.equal(w[row + SRC_SIDE + S_SEQ], 1);
});

Deno.test("TcpStore: a released row comes back cleared", () => {
  const store = new TcpStore(4);
  const a = store.alloc();
  store.words[a + SRC_SIDE + S_SEQ] = 7;
  store.release(a);
  const b = store.alloc();
  assert.equal(b, a);
  assert.equal(store.words[b + SRC_SIDE + S_SEQ], 0);
  store.words[b + DST_SIDE + S_SEQ] = 9;
  store.clear(b);
  assert.equal(store.words[b + DST_SIDE + S_SEQ], 0);
});
