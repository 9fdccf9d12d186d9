;; The core module of a wasi:http/proxy handler that streams (build.sh makes it a component with
;; jco's `embed` and `new` against world.wit): it sets its response before reading the request,
;; then copies the request body to the response body one blocking read at a time, and finishes
;; with the request's trailers as the response's trailers. Results come back through a return
;; area at 0; lists are read into one buffer at 64 KiB (cabi_realloc always hands it out, as only
;; one list is ever in flight).
(module
  (import "wasi:http/types@0.2.12" "[constructor]fields" (func $fields (result i32)))
  (import "wasi:http/types@0.2.12" "[constructor]outgoing-response" (func $response (param i32) (result i32)))
  (import "wasi:http/types@0.2.12" "[method]outgoing-response.body" (func $response-body (param i32 i32)))
  (import "wasi:http/types@0.2.12" "[method]outgoing-body.write" (func $body-write (param i32 i32)))
  (import "wasi:http/types@0.2.12" "[static]response-outparam.set" (func $set (param i32 i32 i32 i32 i64 i32 i32 i32 i32)))
  (import "wasi:http/types@0.2.12" "[method]incoming-request.consume" (func $consume (param i32 i32)))
  (import "wasi:http/types@0.2.12" "[method]incoming-body.stream" (func $body-stream (param i32 i32)))
  (import "wasi:http/types@0.2.12" "[static]incoming-body.finish" (func $body-finish (param i32) (result i32)))
  (import "wasi:http/types@0.2.12" "[method]future-trailers.subscribe" (func $trailers-subscribe (param i32) (result i32)))
  (import "wasi:http/types@0.2.12" "[method]future-trailers.get" (func $trailers-get (param i32 i32)))
  (import "wasi:http/types@0.2.12" "[static]outgoing-body.finish" (func $out-finish (param i32 i32 i32 i32)))
  (import "wasi:http/types@0.2.12" "[resource-drop]future-trailers" (func $drop-future-trailers (param i32)))
  (import "wasi:http/types@0.2.12" "[resource-drop]incoming-request" (func $drop-request (param i32)))
  (import "wasi:io/streams@0.2.12" "[method]input-stream.blocking-read" (func $read (param i32 i64 i32)))
  (import "wasi:io/streams@0.2.12" "[method]output-stream.blocking-write-and-flush" (func $write (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.12" "[resource-drop]input-stream" (func $drop-input (param i32)))
  (import "wasi:io/streams@0.2.12" "[resource-drop]output-stream" (func $drop-output (param i32)))
  (import "wasi:io/poll@0.2.12" "[method]pollable.block" (func $block (param i32)))
  (import "wasi:io/poll@0.2.12" "[resource-drop]pollable" (func $drop-pollable (param i32)))
  (memory (export "memory") 2)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 65536))

  ;; The own handle of an ok `result<own<T>, _>` at the return area (traps on err).
  (func $ok-handle (result i32)
    (if (i32.load8_u (i32.const 0)) (then unreachable))
    (i32.load (i32.const 4)))

  (func (export "wasi:http/incoming-handler@0.2.12#handle") (param $request i32) (param $outparam i32)
    (local $response i32) (local $out-body i32) (local $out i32)
    (local $in-body i32) (local $in i32) (local $future i32) (local $pollable i32) (local $trailers i32) (local $has i32)
    ;; The response goes out first, before any of the request body is read.
    (local.set $response (call $response (call $fields)))
    (call $response-body (local.get $response) (i32.const 0))
    (local.set $out-body (call $ok-handle))
    (call $body-write (local.get $out-body) (i32.const 0))
    (local.set $out (call $ok-handle))
    (call $set (local.get $outparam) (i32.const 0) (local.get $response) (i32.const 0) (i64.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (call $consume (local.get $request) (i32.const 0))
    (local.set $in-body (call $ok-handle))
    (call $body-stream (local.get $in-body) (i32.const 0))
    (local.set $in (call $ok-handle))
    ;; Each piece is written back as soon as it has been read, until the stream ends.
    (block $end
      (loop $copy
        (call $read (local.get $in) (i64.const 16384) (i32.const 0))
        (br_if $end (i32.load8_u (i32.const 0)))
        (call $write (local.get $out) (i32.load (i32.const 4)) (i32.load (i32.const 8)) (i32.const 16))
        (if (i32.load8_u (i32.const 16)) (then unreachable))
        (br $copy)))
    (call $drop-input (local.get $in))
    (call $drop-output (local.get $out))
    (call $drop-request (local.get $request))
    ;; future-trailers.get: option<result<result<option<own<trailers>>, error-code>>>, the inner
    ;; cases at 0, 8, 16 and 24 (error-code is 8-aligned), the handle at 28.
    (local.set $future (call $body-finish (local.get $in-body)))
    (local.set $pollable (call $trailers-subscribe (local.get $future)))
    (call $block (local.get $pollable))
    (call $drop-pollable (local.get $pollable))
    (call $trailers-get (local.get $future) (i32.const 0))
    (if (i32.and (i32.and (i32.load8_u (i32.const 0)) (i32.eqz (i32.load8_u (i32.const 8))))
                 (i32.and (i32.eqz (i32.load8_u (i32.const 16))) (i32.load8_u (i32.const 24))))
      (then (local.set $has (i32.const 1)) (local.set $trailers (i32.load (i32.const 28)))))
    (call $drop-future-trailers (local.get $future))
    (call $out-finish (local.get $out-body) (local.get $has) (local.get $trailers) (i32.const 32))))
