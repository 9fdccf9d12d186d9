;; A command component whose wasi:cli/run traps (unreachable): `kasane run` reports the trap and
;; exits with 134, as for a core module (test/component/wasi.test.ts). Built by ../build.sh.
(component
  (core module $m
    (func $deep (unreachable))
    (func (export "run") (result i32) (call $deep) (i32.const 0)))
  (core instance $i (instantiate $m))
  (type $r (result))
  (func $run (result $r) (canon lift (core func $i "run")))
  (instance $inst (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $inst))
)
