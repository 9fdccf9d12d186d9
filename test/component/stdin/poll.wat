;; A command component that waits on stdin's readiness (no libc, no adapter), hand-written against
;; the canonical ABI; test/component/build.sh embeds world.wit and wraps it with jco. It prints:
;;   `read: nothing` (or `read: data`, `read: closed`) for a non-blocking read made at once;
;;   `ready: ...` for poll([stdin, 200 ms]), naming the ready pollables (stdin, clock);
;;   `ready: ...` for poll([stdin, 10 s]);
;; then copies stdin to stdout (non-blocking reads, polling stdin alone when nothing is there)
;; until its end, and prints `eof`. test/component/stdin-poll.test.ts writes to its stdin only
;; after the first poll has answered.
(module
  (import "wasi:cli/stdin@0.2.12" "get-stdin" (func $get_stdin (result i32)))
  (import "wasi:cli/stdout@0.2.12" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/poll@0.2.12" "poll" (func $poll (param i32 i32 i32)))
  (import "wasi:io/poll@0.2.12" "[resource-drop]pollable" (func $drop_pollable (param i32)))
  (import "wasi:io/streams@0.2.12" "[method]input-stream.read" (func $read (param i32 i64 i32)))
  (import "wasi:io/streams@0.2.12" "[method]input-stream.subscribe" (func $subscribe (param i32) (result i32)))
  (import "wasi:io/streams@0.2.12" "[method]output-stream.blocking-write-and-flush"
    (func $write_and_flush (param i32 i32 i32 i32)))
  (import "wasi:clocks/monotonic-clock@0.2.12" "subscribe-duration" (func $after (param i64) (result i32)))

  (memory (export "memory") 1)
  ;; 64: return areas; 128: the list of pollables given to poll; 1024: text; 4096 on: the heap.
  (global $RET i32 (i32.const 64))
  (global $LIST i32 (i32.const 128))
  (global $heap (mut i32) (i32.const 4096))
  (global $stdout (mut i32) (i32.const 0))
  (global $stdin (mut i32) (i32.const 0))
  (global $pin (mut i32) (i32.const 0))

  (data (i32.const 1024) "read: nothing\n")
  (data (i32.const 1040) "read: data\n")
  (data (i32.const 1056) "ready:")
  (data (i32.const 1064) " stdin")
  (data (i32.const 1072) " clock")
  (data (i32.const 1080) "\n")
  (data (i32.const 1088) "eof\n")
  (data (i32.const 1096) "read: closed\n")
  (data (i32.const 1112) "error\n")

  ;; A bump allocator that reuses nothing; reads take at most 4 KiB each, a few hundred of them fit
  ;; (memory grows when needed).
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536)))
      (then (if (i32.eq (memory.grow (i32.add (i32.shr_u (i32.sub (global.get $heap) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)) (i32.const 1))) (i32.const -1))
        (then unreachable))))
    (if (local.get $old_size) (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
    (local.get $p))

  (func $print (param $p i32) (param $len i32)
    (call $write_and_flush (global.get $stdout) (local.get $p) (local.get $len) (global.get $RET)))

  ;; A non-blocking read of up to 4 KiB: its length (0: nothing yet), or -1 at the end (-2: failed).
  ;; The data is at the pointer left at RET+4.
  (func $read_some (result i32)
    (call $read (global.get $stdin) (i64.const 4096) (global.get $RET))
    (if (i32.eqz (i32.load8_u (global.get $RET))) (then (return (i32.load offset=8 (global.get $RET)))))
    (if (result i32) (i32.eq (i32.load8_u offset=4 (global.get $RET)) (i32.const 1))
      (then (i32.const -1)) (else (i32.const -2))))

  ;; poll([stdin, a clock of `ns`]): prints `ready:` and the names of the ready ones.
  (func $poll_stdin_and_clock (param $ns i64)
    (local $clock i32) (local $ptr i32) (local $n i32) (local $i i32)
    (local.set $clock (call $after (local.get $ns)))
    (i32.store (global.get $LIST) (global.get $pin))
    (i32.store offset=4 (global.get $LIST) (local.get $clock))
    (call $poll (global.get $LIST) (i32.const 2) (global.get $RET))
    (local.set $ptr (i32.load (global.get $RET)))
    (local.set $n (i32.load offset=4 (global.get $RET)))
    (call $print (i32.const 1056) (i32.const 6))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $i) (i32.const 2))))
        (then (call $print (i32.const 1072) (i32.const 6)))
        (else (call $print (i32.const 1064) (i32.const 6))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (call $print (i32.const 1080) (i32.const 1))
    (call $drop_pollable (local.get $clock)))

  (func $run (export "wasi:cli/run@0.2.12#run") (result i32)
    (local $n i32)
    (global.set $stdout (call $get_stdout))
    (global.set $stdin (call $get_stdin))
    (global.set $pin (call $subscribe (global.get $stdin)))
    (local.set $n (call $read_some))
    (if (i32.eqz (local.get $n)) (then (call $print (i32.const 1024) (i32.const 14)))
      (else (if (i32.gt_s (local.get $n) (i32.const 0))
        (then (call $print (i32.const 1040) (i32.const 11)))
        (else (call $print (i32.const 1096) (i32.const 13))))))
    (call $poll_stdin_and_clock (i64.const 200_000_000))
    (call $poll_stdin_and_clock (i64.const 10_000_000_000))
    (block $end (loop $copy
      (local.set $n (call $read_some))
      (br_if $end (i32.eq (local.get $n) (i32.const -1)))
      (if (i32.lt_s (local.get $n) (i32.const 0)) (then (call $print (i32.const 1112) (i32.const 6)) (return (i32.const 1))))
      (if (i32.eqz (local.get $n))
        (then
          ;; Nothing yet: wait for stdin alone.
          (i32.store (global.get $LIST) (global.get $pin))
          (call $poll (global.get $LIST) (i32.const 1) (global.get $RET)))
        (else (call $print (i32.load offset=4 (global.get $RET)) (local.get $n))))
      (br $copy)))
    (call $print (i32.const 1088) (i32.const 4))
    (call $drop_pollable (global.get $pin))
    (i32.const 0))
)
