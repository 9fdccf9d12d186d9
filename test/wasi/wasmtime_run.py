#!/usr/bin/env python3
"""Runs a WASI preview1 command on native wasmtime (the Python `wasmtime` package), for the
differential test (test/wasi/differential.test.ts) and the WASI benchmark (bench/wasi.ts).

usage: wasmtime_run.py --stdout FILE --stderr FILE [--dir HOST::GUEST]... [--env NAME=VALUE]...
                       [--time] MODULE [ARGS...]
Exit status: the program's (proc_exit code, 0 when _start returns), 134 for a trap, 1 for
another error (such as an invalid enum argument to a WASI function), as the wasmtime CLI. With --time, the seconds spent in _start are printed on this script's stdout.
"""
import sys
import time
import wasmtime


def main(argv):
    out = err = None
    dirs, env, timed = [], [], False
    i = 0
    while i < len(argv) and argv[i].startswith('--'):
        opt = argv[i]
        if opt == '--time':
            timed = True
            i += 1
            continue
        val = argv[i + 1]
        if opt == '--stdout':
            out = val
        elif opt == '--stderr':
            err = val
        elif opt == '--dir':
            host, _, guest = val.partition('::')
            dirs.append((host, guest or host))
        elif opt == '--env':
            name, _, value = val.partition('=')
            env.append((name, value))
        else:
            raise SystemExit('unknown option ' + opt)
        i += 2
    module_path, args = argv[i], argv[i + 1:]
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    cfg = wasmtime.WasiConfig()
    cfg.argv = [module_path] + args
    cfg.env = env
    for host, guest in dirs:
        cfg.preopen_dir(host, guest)
    if out:
        cfg.stdout_file = out
    if err:
        cfg.stderr_file = err
    store.set_wasi(cfg)
    module = wasmtime.Module.from_file(engine, module_path)
    instance = linker.instantiate(store, module)
    start = instance.exports(store)['_start']
    t0 = time.perf_counter()
    code = 0
    try:
        start(store)
    except wasmtime.ExitTrap as e:
        code = e.code
    except wasmtime.Trap:
        code = 134
    except wasmtime.WasmtimeError:
        # A host error that is not a trap (e.g. an invalid enum argument to a WASI function):
        # the wasmtime CLI prints it and exits with 1.
        code = 1
    if timed:
        print(f'{time.perf_counter() - t0:.6f}')
    return code


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
