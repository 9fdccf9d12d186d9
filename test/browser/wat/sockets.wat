;; A component that asks wasi:sockets for a TCP socket and reports what it got: its export
;; `try-tcp` returns 0 when create-tcp-socket succeeded (the socket is dropped again), else the
;; error-code's case index + 1. In a browser there are no sockets: not-supported (index 2).
;; Parsed with jco (wasm-tools) by components.test.ts.
(component
  (import "wasi:sockets/network@0.2.0" (instance $network
    (type $ec (enum "unknown" "access-denied" "not-supported" "invalid-argument" "out-of-memory"
      "timeout" "concurrency-conflict" "not-in-progress" "would-block" "invalid-state" "new-socket-limit"
      "address-not-bindable" "address-in-use" "remote-unreachable" "connection-refused" "connection-reset"
      "connection-aborted" "datagram-too-large" "name-unresolvable" "temporary-resolver-failure"
      "permanent-resolver-failure"))
    (export "error-code" (type (eq $ec)))
    (type $af (enum "ipv4" "ipv6"))
    (export "ip-address-family" (type (eq $af)))))
  (alias export $network "error-code" (type $error-code))
  (alias export $network "ip-address-family" (type $family))
  (import "wasi:sockets/tcp@0.2.0" (instance $tcp
    (export "tcp-socket" (type (sub resource)))))
  (alias export $tcp "tcp-socket" (type $tcp-socket))
  (import "wasi:sockets/tcp-create-socket@0.2.0" (instance $create
    (alias outer 1 $error-code (type $ec))
    (export "error-code" (type $ec-e (eq $ec)))
    (alias outer 1 $family (type $af))
    (export "ip-address-family" (type $af-e (eq $af)))
    (alias outer 1 $tcp-socket (type $ts))
    (export "tcp-socket" (type $ts-e (eq $ts)))
    (type $result (result (own $ts-e) (error $ec-e)))
    (export "create-tcp-socket" (func (param "address-family" $af-e) (result $result)))))
  (alias export $create "create-tcp-socket" (func $create-tcp-socket))

  (core module $libc (memory (export "memory") 1))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $memory))
  (core func $create (canon lower (func $create-tcp-socket) (memory $memory)))
  (core func $drop (canon resource.drop $tcp-socket))
  (core module $main
    (import "libc" "memory" (memory 1))
    (import "host" "create" (func $create (param i32 i32)))
    (import "host" "drop" (func $drop (param i32)))
    ;; result<own<tcp-socket>, error-code> at 16: discriminant byte, then the handle or the case at 20.
    (func (export "try-tcp") (result i32)
      (call $create (i32.const 0) (i32.const 16))
      (if (result i32) (i32.load8_u (i32.const 16))
        (then (i32.add (i32.load8_u (i32.const 20)) (i32.const 1)))
        (else (call $drop (i32.load (i32.const 20))) (i32.const 0)))))
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "host" (instance (export "create" (func $create)) (export "drop" (func $drop))))))
  (func (export "try-tcp") (result u32) (canon lift (core func $main "try-tcp"))))
