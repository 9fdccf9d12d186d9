#!/usr/bin/env python3
"""Runs a WASI 0.2 command component on native wasmtime (the Python `wasmtime` package, with its
component API), for the component differential test (test/component/differential.test.ts).

usage: wasmtime_run_component.py --stdout FILE --stderr FILE [--dir HOST::GUEST]...
                                 [--env NAME=VALUE]... [--stdin FILE] COMPONENT [ARGS...]
Exit status as the wasmtime CLI: 0 when wasi:cli/run returns ok, 1 when it returns an error,
the code given to wasi:cli/exit, 134 for a trap.
"""
import sys
import wasmtime
import wasmtime.component as component


def main(argv):
    out = err = stdin = None
    dirs, env = [], []
    i = 0
    while i < len(argv) and argv[i].startswith('--'):
        opt, val = argv[i], argv[i + 1]
        if opt == '--stdout':
            out = val
        elif opt == '--stderr':
            err = val
        elif opt == '--stdin':
            stdin = val
        elif opt == '--dir':
            host, _, guest = val.partition('::')
            dirs.append((host, guest or host))
        elif opt == '--env':
            name, _, value = val.partition('=')
            env.append((name, value))
        else:
            raise SystemExit('unknown option ' + opt)
        i += 2
    path, args = argv[i], argv[i + 1:]
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    cfg = wasmtime.WasiConfig()
    cfg.argv = [path] + args
    cfg.env = env
    for host, guest in dirs:
        cfg.preopen_dir(host, guest)
    if out:
        cfg.stdout_file = out
    if err:
        cfg.stderr_file = err
    if stdin:
        cfg.stdin_file = stdin
    store.set_wasi(cfg)
    linker = component.Linker(engine)
    linker.add_wasip2()
    comp = component.Component.from_file(engine, path)
    instance = linker.instantiate(store, comp)
    run = None
    for version in ('0.2.12', '0.2.6', '0.2.3', '0.2.0'):
        iface = instance.get_export_index(store, 'wasi:cli/run@' + version)
        if iface is not None:
            run = instance.get_func(store, instance.get_export_index(store, 'run', iface))
            break
    if run is None:
        raise SystemExit('no wasi:cli/run export')
    try:
        result = run(store)
    except wasmtime.ExitTrap as e:
        return e.code
    except wasmtime.Trap:
        return 134
    except wasmtime.WasmtimeError as e:
        # The component API reports a trap as an error whose cause says so.
        if 'wasm trap' in str(e):
            return 134
        raise
    # result<_, _> comes back as Variant(tag='ok' | 'err').
    return 0 if result is None or getattr(result, 'tag', None) == 'ok' else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
