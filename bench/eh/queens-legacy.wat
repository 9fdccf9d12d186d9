;; Exception-heavy search (bench/eh.ts): N-queens by depth-first search in which every subtree
;; ends with an exception instead of a return, in the legacy try/catch form (Node 20's V8 runs
;; it natively). queens-table.wat is the same program with try_table / throw_ref.
;;
;; count(n): every node throws: $solved at a full board (counted by its parent's handler), $dead
;;   after its last child (a one-frame unwind), so n=10 throws 35,539 exceptions.
;; first(n, c): the first solution with the row-0 queen in column c is thrown as $found from the
;;   bottom of the search; every frame on the way up records its column in memory and rethrows
;;   (a handler per frame, an n-frame unwind). Returns a checksum of the recorded columns.
;; run(n, reps): reps x (count(n) + first(n, c) for every column c), folded into one checksum.
(module
  (tag $dead (param i32))
  (tag $solved)
  (tag $found (param i32))
  (memory 1)
  (global $count (mut i32) (i32.const 0))

  (func $place (param $n i32) (param $row i32) (param $cols i32) (param $d1 i32) (param $d2 i32)
    (local $free i32) (local $bit i32)
    (if (i32.eq (local.get $row) (local.get $n)) (then (throw $solved)))
    (local.set $free
      (i32.and
        (i32.xor (i32.or (local.get $cols) (i32.or (local.get $d1) (local.get $d2))) (i32.const -1))
        (i32.sub (i32.shl (i32.const 1) (local.get $n)) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $free)))
        (local.set $bit (i32.and (local.get $free) (i32.sub (i32.const 0) (local.get $free))))
        (local.set $free (i32.xor (local.get $free) (local.get $bit)))
        (try
          (do
            (call $place (local.get $n) (i32.add (local.get $row) (i32.const 1))
              (i32.or (local.get $cols) (local.get $bit))
              (i32.shl (i32.or (local.get $d1) (local.get $bit)) (i32.const 1))
              (i32.shr_u (i32.or (local.get $d2) (local.get $bit)) (i32.const 1))))
          (catch $solved (global.set $count (i32.add (global.get $count) (i32.const 1))))
          (catch $dead (drop)))
        (br $next)))
    (throw $dead (local.get $row)))

  (func $count (export "count") (param $n i32) (result i32)
    (global.set $count (i32.const 0))
    (try
      (do (call $place (local.get $n) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
      (catch $dead (drop)))
    (global.get $count))

  (func $search (param $n i32) (param $row i32) (param $cols i32) (param $d1 i32) (param $d2 i32)
    (local $free i32) (local $bit i32)
    (if (i32.eq (local.get $row) (local.get $n)) (then (throw $found (local.get $cols))))
    (local.set $free
      (i32.and
        (i32.xor (i32.or (local.get $cols) (i32.or (local.get $d1) (local.get $d2))) (i32.const -1))
        (i32.sub (i32.shl (i32.const 1) (local.get $n)) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $free)))
        (local.set $bit (i32.and (local.get $free) (i32.sub (i32.const 0) (local.get $free))))
        (local.set $free (i32.xor (local.get $free) (local.get $bit)))
        (try
          (do
            (call $search (local.get $n) (i32.add (local.get $row) (i32.const 1))
              (i32.or (local.get $cols) (local.get $bit))
              (i32.shl (i32.or (local.get $d1) (local.get $bit)) (i32.const 1))
              (i32.shr_u (i32.or (local.get $d2) (local.get $bit)) (i32.const 1))))
          (catch $found
            ;; on the way up: record this row's column, then pass the solution on
            (drop)
            (i32.store (i32.shl (local.get $row) (i32.const 2)) (i32.ctz (local.get $bit)))
            (rethrow 0)))
        (br $next))))

  (func $first (export "first") (param $n i32) (param $c i32) (result i32)
    (local $sum i32) (local $i i32)
    (try
      (do
        (call $search (local.get $n) (i32.const 1)
          (i32.shl (i32.const 1) (local.get $c))
          (i32.shl (i32.const 2) (local.get $c))
          (i32.shr_u (i32.shl (i32.const 1) (local.get $c)) (i32.const 1)))
        (return (i32.const -1)))
      (catch $found (drop)))
    (i32.store (i32.const 0) (local.get $c))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (i32.mul (local.get $sum) (i32.const 31))
          (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $sum))

  (func (export "run") (param $n i32) (param $reps i32) (result i32)
    (local $sum i32) (local $c i32)
    (block $done
      (loop $rep
        (br_if $done (i32.eqz (local.get $reps)))
        (local.set $sum (i32.add (i32.mul (local.get $sum) (i32.const 7)) (call $count (local.get $n))))
        (local.set $c (i32.const 0))
        (block $cols
          (loop $col
            (br_if $cols (i32.ge_u (local.get $c) (local.get $n)))
            (local.set $sum (i32.xor (local.get $sum) (call $first (local.get $n) (local.get $c))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $col)))
        (local.set $reps (i32.sub (local.get $reps) (i32.const 1)))
        (br $rep)))
    (local.get $sum)))
