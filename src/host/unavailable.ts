// What `#host/node-fs` and `#host/node-stdio` (package.json "imports") resolve to outside Node:
// bundlers for browsers and other engines pick this module instead of the Node host, so no
// Node built-in reaches their bundle. The WASI layer only asks for these under Node, so
// reaching them here is a bug in the caller's assumptions, reported by name.

function unavailable(what: string): never {
  throw new Error(`${what} needs Node (this build of Kasane was resolved for another platform); use a MemoryFileSystem and in-memory stdio`);
}

export class NodeFileSystem {
  constructor(_root: string) { unavailable('a host directory preopen'); }
}

export function nodeStdio(): never {
  return unavailable('the process\'s standard streams');
}
