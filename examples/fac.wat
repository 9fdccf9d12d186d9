;; Factorial, recursive and iterative: a small module to try the CLI on.
(module
  (func $fac_rec (export "fac_rec") (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fac_rec (i64.sub (local.get $n) (i64.const 1)))))))
  (func $fac_iter (export "fac_iter") (param $n i64) (result i64)
    (local $acc i64)
    (local.set $acc (i64.const 1))
    (block $done
      (loop $again
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $acc (i64.mul (local.get $acc) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $again)))
    (local.get $acc)))
