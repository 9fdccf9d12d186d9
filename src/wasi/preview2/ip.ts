// IP addresses between their text form (what Node's sockets and dns take and give) and
// wasi:sockets' `ip-address` (a tuple of four bytes or eight 16-bit words). No Node import: the
// network thread (src/host/node-net-worker.ts) and the WASI layer both use it.

export type IpAddress = { tag: 'ipv4'; val: number[] } | { tag: 'ipv6'; val: number[] };

/** Dotted-quad IPv4 (four decimal parts, each at most 255), or undefined. */
export function parseIpv4(text: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((x) => x <= 255) ? parts : undefined;
}

/** IPv6 text (with `::`, an embedded IPv4 tail, a `%zone` suffix ignored) as eight words, or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  const s = text.replace(/%.*$/, '');
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const words = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 === undefined) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const head = words(halves[0]);
  const tail = halves.length === 2 ? words(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const zeros = 8 - head.length - tail.length;
  return zeros >= 1 ? [...head, ...new Array<number>(zeros).fill(0), ...tail] : undefined;
}

/** An IP literal (IPv6 possibly in brackets), or undefined. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { tag: 'ipv4', val: v4 };
  const v6 = parseIpv6(text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text);
  return v6 === undefined ? undefined : { tag: 'ipv6', val: v6 };
}

/** The text form Node accepts (IPv6 words uncompressed). */
export function formatIp(a: IpAddress): string {
  return a.tag === 'ipv4' ? a.val.join('.') : a.val.map((x) => x.toString(16)).join(':');
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 address, as wasmtime's `to_canonical`. */
export function canonicalIp(a: IpAddress): IpAddress {
  if (a.tag === 'ipv6' && a.val.slice(0, 5).every((x) => x === 0) && a.val[5] === 0xffff) {
    return { tag: 'ipv4', val: [a.val[6] >> 8, a.val[6] & 255, a.val[7] >> 8, a.val[7] & 255] };
  }
  return a;
}
