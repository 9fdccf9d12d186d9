#!/usr/bin/env python3
"""Runs a WASI program on native wasmtime (the Python `wasmtime` package), for the differential
tests: a preview1 command module (.wasm or .wat; test/wasi/differential.test.ts) or a WASI 0.2
command component (test/component/differential.test.ts), told apart by the binary's preamble
(its layer field), as `kasane run` does.

usage: wasmtime_run.py [--stdout FILE] [--stderr FILE] [--stdin FILE] [--dir HOST::GUEST]...
                       [--env NAME=VALUE]... [--time] PROGRAM [ARGS...]
Exit status as the wasmtime CLI: the program's (proc_exit's or wasi:cli/exit's code; 0 when
_start returns or wasi:cli/run returns ok, 1 when it returns an error), 134 for a trap, 1 for a
host error that is not a trap (such as an invalid enum argument to a preview1 function). With
--time, the seconds spent running the program are printed on this script's stdout.
"""
import sys
import time
import wasmtime

COMPONENT_LAYER = b'\x01\x00'
CLI_RUN_VERSIONS = ('0.2.12', '0.2.6', '0.2.3', '0.2.0')


def parse(argv):
    opts = {'stdout': None, 'stderr': None, 'stdin': None, 'dirs': [], 'env': [], 'time': False}
    i = 0
    while i < len(argv) and argv[i].startswith('--'):
        opt = argv[i]
        if opt == '--time':
            opts['time'] = True
            i += 1
            continue
        val = argv[i + 1]
        if opt in ('--stdout', '--stderr', '--stdin'):
            opts[opt[2:]] = val
        elif opt == '--dir':
            host, _, guest = val.partition('::')
            opts['dirs'].append((host, guest or host))
        elif opt == '--env':
            name, _, value = val.partition('=')
            opts['env'].append((name, value))
        else:
            raise SystemExit('unknown option ' + opt)
        i += 2
    return opts, argv[i], argv[i + 1:]


def is_component(path):
    with open(path, 'rb') as f:
        head = f.read(8)
    return head[:4] == b'\0asm' and head[6:8] == COMPONENT_LAYER


def wasi_config(opts, path, args):
    cfg = wasmtime.WasiConfig()
    cfg.argv = [path] + args
    cfg.env = opts['env']
    for host, guest in opts['dirs']:
        cfg.preopen_dir(host, guest)
    if opts['stdout']:
        cfg.stdout_file = opts['stdout']
    if opts['stderr']:
        cfg.stderr_file = opts['stderr']
    if opts['stdin']:
        cfg.stdin_file = opts['stdin']
    return cfg


def module_entry(engine, store, path):
    """_start of a preview1 command module; a host error that is not a trap exits with 1."""
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, wasmtime.Module.from_file(engine, path))
    start = instance.exports(store)['_start']

    def run():
        try:
            start(store)
            return 0
        except wasmtime.ExitTrap:
            raise
        except wasmtime.WasmtimeError:
            return 1
    return run


def component_entry(engine, store, path):
    """wasi:cli/run of a command component; its result<_, _> gives 0 (ok) or 1 (err)."""
    import wasmtime.component as component
    linker = component.Linker(engine)
    linker.add_wasip2()
    instance = linker.instantiate(store, component.Component.from_file(engine, path))
    func = None
    for version in CLI_RUN_VERSIONS:
        iface = instance.get_export_index(store, 'wasi:cli/run@' + version)
        if iface is not None:
            func = instance.get_func(store, instance.get_export_index(store, 'run', iface))
            break
    if func is None:
        raise SystemExit('no wasi:cli/run export')

    def run():
        try:
            result = func(store)
        except wasmtime.ExitTrap:
            raise
        except wasmtime.WasmtimeError as e:
            # The component API reports a trap as an error whose cause says so.
            if 'wasm trap' in str(e):
                return 134
            raise
        # result<_, _> comes back as Variant(tag='ok' | 'err').
        return 0 if result is None or getattr(result, 'tag', None) == 'ok' else 1
    return run


def main(argv):
    opts, path, args = parse(argv)
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    store.set_wasi(wasi_config(opts, path, args))
    run = (component_entry if is_component(path) else module_entry)(engine, store, path)
    t0 = time.perf_counter()
    try:
        code = run()
    except wasmtime.ExitTrap as e:
        code = e.code
    except wasmtime.Trap:
        code = 134
    if opts['time']:
        print(f'{time.perf_counter() - t0:.6f}')
    return code


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
