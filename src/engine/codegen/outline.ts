// Outlining of huge functions: V8 never optimizes a function whose bytecode exceeds
// --max-optimized-bytecode-size (60 KB by default), so a huge Wasm function (an interpreter's
// dispatch loop: SpiderMonkey's Interpret is 540 KB of generated JS) would run in V8's baseline
// tier for ever, many times slower than optimized code. Pieces of its statements are moved into
// functions of their own at the factory's level, each small enough to be optimized, until what
// is left of the function is too.
//
// `out` (function.ts, after flatten.ts) is a list of statements whose braces open and close JS
// structures one statement at a time. A piece is a run of consecutive items (statements and
// whole structures) of one structure's body; in a flattened state machine's switch a piece
// may also span case labels, and then it keeps its own `switch` over the state (the caller
// enters it at any of its labels; falling into it sets the state to its first label first).
// A piece becomes
//
//   function o$<module>$<func>$<k>(<the variables it mentions>) {
//     let mv0 = M0.view, oc = 0;
//     Lo: { ...statements, each branch out of the piece `{ oc = <exit>; break Lo; }`... }
//     O$x = x; ...        // the variables it assigns, read back by the caller
//     return oc;
//   }
//
// and in the caller `oc = o$...(...); mv0 = M0.view; x = O$x; ...; if (oc === 1) continue L7; ...`.
// A return's value passes through O$r (an i64's high word stays in H.h, where it was put).
// Nothing runs between the piece's writes of O$ variables and the caller's reads, so
// reentrant calls cannot mix them up. Outlined functions are not named w$..., so backtraces
// (runtime.ts) show the function they came from once.

/**
 * Sizes in characters of JS. `above`: functions longer than this are outlined (V8's limit is
 * about 61 KB of bytecode, ~75 KB of this JS); `piece`: the most one outlined piece holds
 * (few big pieces: SpiderMonkey's Interpret reached its optimized speed sooner with 40 KB
 * pieces than with 12 KB ones, whose many call sites made the caller slower for TurboFan to
 * compile and recompile after deoptimizations); `min`: shorter runs stay (the call would cost
 * more than it saves). Tests lower them, so that
 * the spec suite's small functions are outlined too.
 */
export const outlineLimits = { above: 60_000, piece: 40_000, min: 600 };
/** Pieces passing more variables than this stay where they are. */
const MAX_VARS = 120;

interface Node {
  readonly open: number;
  close: number;
  /** How many structures the open statement opens (a flattened switch: loop and switch). */
  readonly depth: number;
  /** The state variable of a flattened state machine's switch, whose case labels pieces may span. */
  readonly state: string | null;
  readonly items: Item[];
}

interface Item {
  /** Statement range [from, to] in `out`. */
  readonly from: number;
  readonly to: number;
  readonly size: number;
  /** A separator: a case label (soft, in a state machine) or else/catch (hard). */
  readonly sep?: 'soft' | 'hard';
  readonly node?: Node;
}

function braces(s: string): number {
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 123) d++;
    else if (c === 125) d--;
  }
  return d;
}

/** The structure tree of `out`, or undefined when it has a shape this pass does not know. */
function parse(out: readonly string[], stateVars: ReadonlySet<string>): Node | undefined {
  const root: Node = { open: -1, close: out.length, depth: 0, state: null, items: [] };
  const stack: Node[] = [root];
  const sizes: number[] = [];
  for (const s of out) sizes.push(s.length + 1);
  // Items are added when complete; a node's size is summed as it closes.
  const start: number[] = [0];
  for (let i = 0; i < out.length; i++) {
    const s = out[i];
    if (s === '') continue;
    // Trap messages are the only string literals; nothing declares or closes over variables.
    const code = s.includes('"') ? s.replace(/"[^"\\]*"/g, '""') : s;
    if (/['`]|=>|\bfunction\b|\blet\b|\bconst\b|\bvar\b|\barguments\b|\bthis\b/.test(code)) return undefined;
    const d = braces(code);
    const top = stack[stack.length - 1];
    if (d > 0) {
      if (s.startsWith('}')) return undefined;
      const m = /switch \((s\w+)\) \{(?: case 0:)?$/.exec(s);
      const state = m !== null && stateVars.has(m[1]) && d === 2 ? m[1] : null;
      stack.push({ open: i, close: -1, depth: d, state, items: [] });
      start.push(0);
    } else if (d < 0) {
      const n = stack.pop()!;
      start.pop();
      if (n === root || n.depth !== -d) return undefined;
      n.close = i;
      let size = 0;
      for (let k = n.open; k <= i; k++) size += sizes[k];
      stack[stack.length - 1].items.push({ from: n.open, to: i, size, node: n });
    } else if (s.startsWith('}')) {
      top.items.push({ from: i, to: i, size: sizes[i], sep: 'hard' });
    } else if (s.startsWith('case ') || s.startsWith('default:')) {
      if (top.state === null) return undefined;
      top.items.push({ from: i, to: i, size: sizes[i], sep: 'soft' });
    } else {
      top.items.push({ from: i, to: i, size: sizes[i] });
    }
  }
  return stack.length === 1 ? root : undefined;
}

interface Piece {
  readonly from: number;
  readonly to: number;
  /** The state variable when the piece starts at a case label (it keeps a switch). */
  readonly state: string | null;
  /** Whether it begins its structure's body (nothing can fall into it). */
  readonly first: boolean;
}

/** Chooses the pieces in node `n`'s body (its children first when they are too big to move whole). */
function pack(n: Node, pieces: Piece[]): void {
  const PIECE = outlineLimits.piece;
  for (const it of n.items) if (it.node && it.size > PIECE) pack(it.node, pieces);
  const size = (it: Item): number => (it.node && it.size > PIECE ? 0 : it.size);
  let run: Item[] = [];
  let runSize = 0;
  let runState: string | null = null;
  const end = (): void => {
    // A run that is one too-big structure (already packed inside) or too small stays.
    const real = run.filter((it) => !(it.node && it.size > PIECE));
    if (real.length === run.length && runSize >= outlineLimits.min && !(run.length === 1 && run[0].sep)) {
      pieces.push({ from: run[0].from, to: run[run.length - 1].to, state: runState, first: run[0] === n.items[0] });
    }
    run = [];
    runSize = 0;
    runState = null;
  };
  // In a state machine, pieces hold whole states where they can: where a state begins, the
  // live stack slots are known (outline), and the piece falls into a known state.
  const stateSize = (i: number): number => {
    let sz = n.items[i].size;
    for (let k = i + 1; k < n.items.length && !n.items[k].sep; k++) sz += size(n.items[k]);
    return sz;
  };
  for (let i = 0; i < n.items.length; i++) {
    const it = n.items[i];
    if (it.sep === 'soft' && runState !== null && runSize + stateSize(i) > PIECE) end();
    if (it.sep === 'hard' || (it.node && it.size > PIECE)) { end(); continue; }
    if (it.sep === 'soft') {
      // A case label may be inside a piece only when the piece began at one.
      if (runState === null || runSize + size(it) > PIECE) end();
      if (run.length === 0) runState = n.state;
    } else if (runSize + size(it) > PIECE) {
      end();
    }
    run.push(it);
    runSize += size(it);
  }
  end();
}

/** Operand stack heights function.ts knows: where branches to labels land, and at block ends. */
export interface Heights {
  readonly labels: ReadonlyMap<string, { readonly brk: number; readonly cont: number }>;
  /** By statement index: the height at a block's end statement (a case label once flattened). */
  readonly closes: ReadonlyMap<number, number>;
  /** Variables that only hold values within one instruction's statements (i64 helpers' x0..x5). */
  readonly scratch: ReadonlySet<string>;
}

/**
 * The stack slot of an operand variable (`i3`, `j3h`, `v3a`: 3); -1 for locals (always live);
 * above any stack height for the scratch variables of single instructions (heights.scratch),
 * which are dead between instructions, so wherever the height is known.
 */
function slotOf(v: string, scratch: ReadonlySet<string>): number {
  const m = /^[ijfdr](\d+)h?$|^v(\d+)[abcd]?$/.exec(v);
  if (m !== null) return Number(m[1] ?? m[2]);
  return scratch.has(v) ? 2 ** 30 : -1;
}

/** The highest stack height at which any state of each state machine is entered (Infinity: unknown). */
function stateHeights(tree: Node, out: readonly string[], heights: Heights): Map<string, number> {
  const r = new Map<string, number>();
  const visit = (n: Node): void => {
    if (n.state !== null) {
      let h = 0;
      // Fused br_table entries that are not states (in the close statement) read slots: unknown.
      if (out[n.close].includes('case ')) h = Infinity;
      for (const it of n.items) if (it.sep === 'soft') h = Math.max(h, heights.closes.get(it.from) ?? Infinity);
      r.set(n.state.slice(1), h);
    }
    for (const it of n.items) if (it.node) visit(it.node);
  };
  visit(tree);
  return r;
}

const IDENT = /(?<![\w.$])([A-Za-z_]\w*)/g;
const ASSIGN = /(?<![\w.$])([A-Za-z_]\w*) (?:=|\+=|-=|\*=|\|=|&=|\^=|<<=|>>=|>>>=)(?!=)/g;

/** Whether `outline` would cut the function whose statements are `out` (its JS is too big). */
export function outlined(out: readonly string[]): boolean {
  let total = 0;
  for (const s of out) total += s.length + 1;
  return total > outlineLimits.above;
}

/**
 * Outlines pieces of a huge function's statements `out` in place (see above). `vars`: the
 * function's variables (parameters and locals, without the memory views); `views`: the memory
 * view variables' refresh statement (`mv0 = M0.view; ...`); `stateVars`: flatten's state
 * variables. Returns the factory-level source to add (the functions and their O$ variables),
 * or '' when nothing was outlined.
 */
export function outline(
  out: string[], vars: readonly string[], refresh: string, stateVars: readonly string[], prefix: string,
  heights: Heights,
): string {
  if (!outlined(out)) return '';
  const tree = parse(out, new Set(stateVars));
  if (tree === undefined) return '';
  const pieces: Piece[] = [];
  let machines: Map<string, number>;
  try {
    pack(tree, pieces);
    machines = stateHeights(tree, out, heights);
  } catch (e) {
    // Both recurse on nesting: a function nested this deeply is left whole (its JS probably
    // nests too deeply for V8's parser as well, which instantiateFunc reports).
    if (e instanceof RangeError) return '';
    throw e;
  }
  const known = new Set(vars);
  const landing = (kw: string, l: string): number => {
    const m = kw === 'continue' ? machines.get(l) : undefined;
    if (m !== undefined) return m;
    const h = heights.labels.get(l);
    return h === undefined ? Infinity : kw === 'continue' ? h.cont : h.brk;
  };
  const nextStatement = (i: number): number => {
    while (i < out.length && out[i] === '') i++;
    return i;
  };
  const outputs = new Set<string>();
  const fns: string[] = [];
  const viewDecl = refresh === '' ? '' : refresh.replace(/;/g, ',').replace(/,$/, '').replace(/^/, 'let ');
  let count = 0;
  for (const p of pieces) {
    const body = out.slice(p.from, p.to + 1);
    const text = body.join('\n');
    const mentioned: string[] = [];
    const seen = new Set<string>();
    for (const m of text.matchAll(IDENT)) {
      const v = m[1];
      if (known.has(v) && !seen.has(v)) { seen.add(v); mentioned.push(v); }
    }
    if (p.state !== null && !seen.has(p.state)) { seen.add(p.state); mentioned.push(p.state); }
    const assigned = new Set<string>();
    for (const m of text.matchAll(ASSIGN)) if (known.has(m[1])) assigned.add(m[1]);
    const inner = new Set<string>();
    for (const m of text.matchAll(/(?<![\w.$])(L\d+): /g)) inner.add(m[1]);
    const exits: string[] = [];
    // Stack slots at or above the height where the piece is entered are dead there (written
    // before they are read), and so are those at or above every height where it leaves.
    let entry = p.state === null ? Infinity : 0;
    if (p.state !== null) {
      for (let k = p.from; k <= p.to; k++) if (out[k].startsWith('case ')) entry = Math.max(entry, heights.closes.get(k) ?? Infinity);
    }
    const after = nextStatement(p.to + 1);
    let leave = after < out.length && out[after].startsWith('case ') ? heights.closes.get(after) ?? Infinity : Infinity;
    const exit = (stmt: string, h: number): number => {
      leave = Math.max(leave, h);
      let k = exits.indexOf(stmt);
      if (k < 0) { exits.push(stmt); k = exits.length - 1; }
      return k + 1;
    };
    const rewritten = body.map((s) => s
      .replace(/(?<![\w.$])(break|continue) (L\d+);/g, (m, kw: string, l: string) => (inner.has(l) ? m : `{ oc = ${exit(m, landing(kw, l))}; break Lo; }`))
      .replace(/(?<![\w.$])return( [^;]*)?;/g, (_m, e: string | undefined) => (e === undefined
        ? `{ oc = ${exit('return;', 0)}; break Lo; }`
        : `{ O$r =${e}; oc = ${exit('return O$r;', 0)}; break Lo; }`)));
    const params = mentioned.filter((v) => slotOf(v, heights.scratch) < entry);
    const scratch = mentioned.filter((v) => slotOf(v, heights.scratch) >= entry);
    if (params.length > MAX_VARS) continue;
    const name = `o$${prefix}$${count++}`;
    let labels = '';
    if (p.state !== null) {
      for (const s of body) if (s.startsWith('case ')) labels += `${/^((?:case \d+: ?)+)/.exec(s)![1].trim()} `;
    }
    const lines: string[] = [];
    lines.push(`function ${name}(${params.join(', ')}) {`);
    lines.push(`${viewDecl}${viewDecl === '' ? 'let' : ','} oc = 0${scratch.map((v) => `, ${v} = 0`).join('')};`);
    lines.push(p.state !== null ? `Lo: { switch (${p.state}) {` : 'Lo: {');
    for (const s of rewritten) lines.push(s);
    lines.push(p.state !== null ? '} }' : '}');
    let back = '';
    for (const v of assigned) {
      if (slotOf(v, heights.scratch) >= leave) continue;
      outputs.add(v);
      lines.push(`O$${v} = ${v};`);
      back += ` ${v} = O$${v};`;
    }
    lines.push('return oc;', '}');
    fns.push(lines.join('\n'));
    // A switch over small integers needs no type feedback (V8's SwitchOnSmi): exits not taken
    // yet do not deoptimize the caller, as `oc === k` tests without feedback would.
    let dispatch = exits.length === 0 ? '' : ' switch (oc) {';
    exits.forEach((stmt, k) => { dispatch += ` case ${k + 1}: ${stmt}`; });
    if (exits.length > 0) dispatch += ' }';
    const call = `oc = ${name}(${params.join(', ')});${refresh === '' ? '' : ` ${refresh}`}${back}${dispatch}`;
    for (let k = p.from; k <= p.to; k++) out[k] = '';
    const enter = p.first || p.state === null ? '' : `${p.state} = ${/^case (\d+):/.exec(body[0])![1]}; `;
    out[p.from] = p.state !== null ? `${enter}${labels}${call}` : call;
  }
  if (fns.length === 0) return '';
  const decl = ['r', ...outputs].map((v) => `O$${v}`).join(', ');
  return `let ${decl};\n${fns.join('\n')}`;
}
