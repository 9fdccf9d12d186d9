;; binary-trees (Benchmarks Game) on WasmGC: tree nodes are GC structs, not linear memory.
;; The same program as bench/workloads/src/binarytrees.c. `run(depth)` reports each line of the
;; C program's output through the import `env.report(kind, iterations, depth, check)` (kind 0:
;; stretch tree, 1: trees of one depth, 2: long-lived tree) and returns the sum of all checks.
(module
  (type $node (struct (field $left (ref null $node)) (field $right (ref null $node))))
  (import "env" "report" (func $report (param i32 i32 i32 i32)))

  (func $create (param $d i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $d))
      (then (struct.new_default $node))
      (else
        (struct.new $node
          (call $create (i32.sub (local.get $d) (i32.const 1)))
          (call $create (i32.sub (local.get $d) (i32.const 1)))))))

  (func $check (param $n (ref $node)) (result i32)
    (local $l (ref null $node))
    (local.set $l (struct.get $node $left (local.get $n)))
    (if (result i32) (ref.is_null (local.get $l))
      (then (i32.const 1))
      (else
        (i32.add (i32.const 1)
          (i32.add (call $check (ref.as_non_null (local.get $l)))
                   (call $check (ref.as_non_null (struct.get $node $right (local.get $n)))))))))

  (func (export "run") (param $n i32) (result i32)
    (local $max i32) (local $stretch i32) (local $long (ref null $node))
    (local $d i32) (local $iters i32) (local $i i32) (local $sum i32) (local $c i32) (local $total i32)
    (local.set $max (select (i32.const 6) (local.get $n) (i32.lt_s (local.get $n) (i32.const 6))))
    (local.set $stretch (i32.add (local.get $max) (i32.const 1)))
    (local.set $c (call $check (call $create (local.get $stretch))))
    (call $report (i32.const 0) (i32.const 1) (local.get $stretch) (local.get $c))
    (local.set $total (local.get $c))
    (local.set $long (call $create (local.get $max)))
    (local.set $d (i32.const 4))
    (block $done
      (loop $depths
        (br_if $done (i32.gt_s (local.get $d) (local.get $max)))
        (local.set $iters (i32.shl (i32.const 1) (i32.add (i32.sub (local.get $max) (local.get $d)) (i32.const 4))))
        (local.set $sum (i32.const 0))
        (local.set $i (i32.const 0))
        (loop $trees
          (local.set $sum (i32.add (local.get $sum) (call $check (call $create (local.get $d)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $trees (i32.lt_s (local.get $i) (local.get $iters))))
        (call $report (i32.const 1) (local.get $iters) (local.get $d) (local.get $sum))
        (local.set $total (i32.add (local.get $total) (local.get $sum)))
        (local.set $d (i32.add (local.get $d) (i32.const 2)))
        (br $depths)))
    (local.set $c (call $check (ref.as_non_null (local.get $long))))
    (call $report (i32.const 2) (i32.const 1) (local.get $max) (local.get $c))
    (i32.add (local.get $total) (local.get $c))))
