;; The canonical ABI alone, for bench/components.ts: the same two operations as the benchmark's
;; componentize-js component with a guest that does no work of its own. `echo-string` lowers its
;; string into the guest, which passes it to the host import `h-string` and returns what that
;; returned (four string copies, as test/component/js/types.js's echo-string); `id-words` returns
;; its list<u32> (one copy in, one out). realloc hands out one block at 1024 for every request: a
;; list or string is never alive in memory while the next is allocated (the host lifts a
;; parameter before lowering its result). Built with `jco parse` (bench/components/build.sh).
(component
  (type $host-t (instance
    (type (func (param "x" string) (result string)))
    (export "h-string" (func (type 0)))))
  (import "test:abi/host" (instance $host (type $host-t)))
  (alias export $host "h-string" (func $h-string))

  (core module $libc
    ;; 8 pages: 1 KiB of return areas, then room for 100,000 u32 (400 KB).
    (memory (export "memory") 8)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 1024)))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))
  (core func $h-string (canon lower (func $h-string) (memory $mem) (realloc $realloc)))
  (core instance $imports (export "h-string" (func $h-string)))

  (core module $main
    (import "libc" "memory" (memory 8))
    (import "host" "h-string" (func $h-string (param i32 i32 i32)))
    (func (export "echo-string") (param i32 i32) (result i32)
      (call $h-string (local.get 0) (local.get 1) (i32.const 16))
      (i32.const 16))
    (func (export "id-words") (param i32 i32) (result i32)
      (i32.store (i32.const 16) (local.get 0))
      (i32.store (i32.const 20) (local.get 1))
      (i32.const 16)))
  (core instance $main (instantiate $main (with "libc" (instance $libc)) (with "host" (instance $imports))))

  (type $api-t (instance
    (type (func (param "x" string) (result string)))
    (export "echo-string" (func (type 0)))
    (type (list u32))
    (type (func (param "x" 1) (result 1)))
    (export "id-words" (func (type 2)))))
  (func $echo (param "x" string) (result string) (canon lift (core func $main "echo-string") (memory $mem) (realloc $realloc)))
  (func $id (param "x" (list u32)) (result (list u32)) (canon lift (core func $main "id-words") (memory $mem) (realloc $realloc)))
  (instance $api (export "echo-string" (func $echo)) (export "id-words" (func $id)))
  (export "test:abi/api" (instance $api) (instance (type $api-t)))
)
