/**
 * Adam's fused update as a WebAssembly SIMD kernel: four float32 lanes at a time, a scalar loop for
 * the last `n mod 4` values. In JavaScript the same loop runs in float64 with a scalar square root
 * and division per value: on ref-m's 3.9 M parameters it took 22 ms per step, the kernel 3.5 ms
 * (`bench/adam-kernel.mjs` prints both, same run).
 *
 * The module is assembled here from its instructions (no toolchain, no binary file): one function
 * `adam(p, m, v, g, n, b1, c1, b2, c2, stepSize, invSqrtCorrection2, eps)` over byte offsets into an
 * imported memory, computing for `i < n`, all in float32 (as PyTorch's CPU Adam):
 *
 *   m[i] = b1·m[i] + c1·g[i];   v[i] = b2·v[i] + c2·g[i]²;
 *   p[i] = p[i] − stepSize·m[i] / (√v[i] · invSqrtCorrection2 + eps)
 *
 * @packageDocumentation
 */

const leb = (n: number): number[] => {
  const out: number[] = [];
  let rest = n;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
};
const name = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vector = (items: readonly number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, bytes: readonly number[]): number[] => [id, ...leb(bytes.length), ...bytes];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const simd = (op: number): number[] => [0xfd, ...leb(op)];
const v = {
  load: [...simd(0), 4, 0],
  store: [...simd(11), 4, 0],
  splat: simd(19),
  add: simd(228),
  sub: simd(229),
  mul: simd(230),
  div: simd(231),
  sqrt: simd(227),
};
const f = { load: [0x2a, 2, 0], store: [0x38, 2, 0], add: [0x92], sub: [0x93], mul: [0x94], div: [0x95], sqrt: [0x91] };
const get = (i: number): number[] => [0x20, ...leb(i)];
const set = (i: number): number[] => [0x21, ...leb(i)];
const tee = (i: number): number[] => [0x22, ...leb(i)];
const sleb = (n: number): number[] => {
  const out: number[] = [];
  let rest = n;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
};
const i32 = { const: (k: number) => [0x41, ...sleb(k)], add: [0x6a], mul: [0x6c], and: [0x71], geU: [0x4f] };
const block = 0x02;
const loop = 0x03;
const empty = 0x40;
const end = 0x0b;
const br = (depth: number) => [0x0c, depth];
const brIf = (depth: number) => [0x0d, depth];

// Parameters 0–11 (see the module comment); locals: 12 end of the lanes, 13 end of all (i32),
// 14–20 the splatted constants, 21 g, 22 new m, 23 new v (v128), 24 g, 25 new m, 26 new v (f32).
const [P, M, Vv, G, N] = [0, 1, 2, 3, 4];
const LANES_END = 12;
const ALL_END = 13;
const SPLAT = 14;
const advance = (step: number): number[] => [P, M, Vv, G].flatMap((k) => [...get(k), ...i32.const(step), ...i32.add, ...set(k)]);

/** The instructions of one of the two loops: its arithmetic, where it reads each constant, its locals, its bound and its step. */
interface UpdateLoop {
  readonly ops: typeof v | typeof f;
  readonly constant: (k: number) => number[];
  /** Locals holding g, the new m and the new v. */
  readonly locals: readonly [number, number, number];
  readonly until: number;
  readonly bytes: number;
}

/** `while (p < until) { m, v, p updated; p, m, v, g advanced by bytes }` — the update of the module comment. */
function updateLoop({ ops: o, constant: c, locals: [g, mNew, vNew], until, bytes }: UpdateLoop): number[] {
  // biome-ignore format: one line per instruction group reads as the update it computes
  return [
    block, empty, loop, empty,
    ...get(P), ...get(until), ...i32.geU, ...brIf(1),
    ...get(G), ...o.load, ...set(g),
    ...get(M), ...c(0), ...get(M), ...o.load, ...o.mul, ...c(1), ...get(g), ...o.mul, ...o.add, ...tee(mNew), ...o.store,
    ...get(Vv), ...c(2), ...get(Vv), ...o.load, ...o.mul, ...c(3), ...get(g), ...get(g), ...o.mul, ...o.mul, ...o.add, ...tee(vNew), ...o.store,
    ...get(P), ...get(P), ...o.load, ...c(4), ...get(mNew), ...o.mul,
    ...get(vNew), ...o.sqrt, ...c(5), ...o.mul, ...c(6), ...o.add, ...o.div, ...o.sub, ...o.store,
    ...advance(bytes), ...br(0), end, end,
  ];
}

const constant = (k: number): number[] => get(5 + k); // b1 c1 b2 c2 stepSize invSqrtCorrection2 eps
const splatted = (k: number): number[] => get(SPLAT + k);

// biome-ignore format: one line per instruction group
const body: number[] = [
  // ALL_END = p + 4n; LANES_END = p + 4·(n & ~3)
  ...get(P), ...get(N), ...i32.const(4), ...i32.mul, ...i32.add, ...set(ALL_END),
  ...get(P), ...get(N), ...i32.const(-4), ...i32.and, ...i32.const(4), ...i32.mul, ...i32.add, ...set(LANES_END),
  ...[0, 1, 2, 3, 4, 5, 6].flatMap((k) => [...constant(k), ...v.splat, ...set(SPLAT + k)]),
  ...updateLoop({ ops: v, constant: splatted, locals: [21, 22, 23], until: LANES_END, bytes: 16 }),
  ...updateLoop({ ops: f, constant, locals: [24, 25, 26], until: ALL_END, bytes: 4 }),
  end,
];
const code = [
  ...vector([
    [...leb(2), I32],
    [...leb(7 + 3), V128],
    [...leb(3), F32],
  ]),
  ...body,
];
// biome-ignore format: the module's sections
const moduleBytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vector([[0x60, ...vector([I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32].map((t) => [t])), 0]])),
  ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...leb(0)]])),
  ...section(3, vector([[0]])),
  ...section(7, vector([[...name('adam'), 0x00, 0]])),
  ...section(10, vector([[...leb(code.length), ...code]])),
]);

/** The constants of one Adam step (see the module comment). */
export interface AdamStepConstants {
  readonly b1: number;
  readonly c1: number;
  readonly b2: number;
  readonly c2: number;
  readonly stepSize: number;
  readonly invSqrtCorrection2: number;
  readonly eps: number;
}

/** The slice of the WebAssembly API the kernel uses (the repo's TypeScript lib has no WebAssembly types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
}

/** Float32 storage the kernel updates in place, and the kernel; offsets and lengths count float32 values. */
export interface AdamArena {
  /** All of the arena's memory (its length is the requested one rounded up to 64 KiB). */
  readonly floats: Float32Array;
  /** One Adam step over `floats[p, p+n)`, moments at `m`, `v`, gradient at `g`. */
  update(p: number, m: number, v: number, g: number, n: number, k: AdamStepConstants): void;
}

let compiled: object | undefined;

/**
 * Allocates `length` float32 values (zeros) in WebAssembly memory with the Adam kernel over them.
 *
 * @throws Error when this JavaScript engine lacks WebAssembly SIMD (Node ≥ 16.4 has it).
 * @example
 * ```ts
 * const arena = createAdamArena(4 * n); // values, m, v, gradient of one n-value parameter
 * arena.update(0, n, 2 * n, 3 * n, n, constants);
 * ```
 */
export function createAdamArena(length: number): AdamArena {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  if (compiled === undefined) {
    if (wasm === undefined || !wasm.validate(moduleBytes)) {
      throw new Error('the host optimizer needs WebAssembly SIMD, which this JavaScript engine lacks; run on Node 20 or later');
    }
    compiled = new wasm.Module(moduleBytes);
  }
  const pages = Math.max(1, Math.ceil((4 * length) / 65536));
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const adam = new wasm.Instance(compiled, { env: { memory } }).exports.adam as (...args: number[]) => void;
  return {
    floats: new Float32Array(memory.buffer),
    update: (p, m, v, g, n, k) =>
      adam(4 * p, 4 * m, 4 * v, 4 * g, n, k.b1, k.c1, k.b2, k.c2, k.stepSize, k.invSqrtCorrection2, k.eps),
  };
}
