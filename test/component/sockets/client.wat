;; A command component using wasi:sockets 0.2 directly (no libc, no adapter), hand-written
;; against the canonical ABI; test/component/build.sh embeds wit/world.wit and wraps it with jco.
;;
;;   client tcp PORT MESSAGE [HOST]   connect, send MESSAGE, shut down sending, print the reply
;;   client udp PORT MESSAGE [HOST]   bind, send MESSAGE as one datagram, print the first reply
;;
;; HOST (default: the address 127.0.0.1, no lookup) is resolved with ip-name-lookup, taking its
;; first IPv4 address. Every failure prints `error: STEP CODE` (CODE an error-code name) and
;; wasi:cli/run returns err (exit status 1).
(module
  (import "wasi:cli/environment@0.2.12" "get-arguments" (func $get_arguments (param i32)))
  (import "wasi:cli/stdout@0.2.12" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/poll@0.2.12" "[method]pollable.block" (func $pollable_block (param i32)))
  (import "wasi:io/poll@0.2.12" "[resource-drop]pollable" (func $drop_pollable (param i32)))
  (import "wasi:io/streams@0.2.12" "[method]output-stream.blocking-write-and-flush"
    (func $write_and_flush (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.12" "[method]input-stream.blocking-read"
    (func $blocking_read (param i32 i64 i32)))
  (import "wasi:io/streams@0.2.12" "[resource-drop]input-stream" (func $drop_input (param i32)))
  (import "wasi:io/streams@0.2.12" "[resource-drop]output-stream" (func $drop_output (param i32)))
  (import "wasi:sockets/network@0.2.12" "[resource-drop]network" (func $drop_network (param i32)))
  (import "wasi:sockets/instance-network@0.2.12" "instance-network" (func $instance_network (result i32)))
  (import "wasi:sockets/tcp-create-socket@0.2.12" "create-tcp-socket" (func $create_tcp (param i32 i32)))
  ;; self, network, ip-socket-address (discriminant + 11 joined case values), return area
  (import "wasi:sockets/tcp@0.2.12" "[method]tcp-socket.start-connect"
    (func $start_connect (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:sockets/tcp@0.2.12" "[method]tcp-socket.finish-connect" (func $finish_connect (param i32 i32)))
  (import "wasi:sockets/tcp@0.2.12" "[method]tcp-socket.subscribe" (func $tcp_subscribe (param i32) (result i32)))
  (import "wasi:sockets/tcp@0.2.12" "[method]tcp-socket.shutdown" (func $shutdown (param i32 i32 i32)))
  (import "wasi:sockets/tcp@0.2.12" "[resource-drop]tcp-socket" (func $drop_tcp (param i32)))
  (import "wasi:sockets/udp-create-socket@0.2.12" "create-udp-socket" (func $create_udp (param i32 i32)))
  (import "wasi:sockets/udp@0.2.12" "[method]udp-socket.start-bind"
    (func $udp_start_bind (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:sockets/udp@0.2.12" "[method]udp-socket.finish-bind" (func $udp_finish_bind (param i32 i32)))
  ;; self, option<ip-socket-address> (1 + 12), return area
  (import "wasi:sockets/udp@0.2.12" "[method]udp-socket.stream"
    (func $udp_stream (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:sockets/udp@0.2.12" "[method]outgoing-datagram-stream.check-send" (func $check_send (param i32 i32)))
  (import "wasi:sockets/udp@0.2.12" "[method]outgoing-datagram-stream.send" (func $udp_send (param i32 i32 i32 i32)))
  (import "wasi:sockets/udp@0.2.12" "[method]incoming-datagram-stream.receive" (func $udp_receive (param i32 i64 i32)))
  (import "wasi:sockets/udp@0.2.12" "[method]incoming-datagram-stream.subscribe" (func $incoming_subscribe (param i32) (result i32)))
  (import "wasi:sockets/udp@0.2.12" "[resource-drop]udp-socket" (func $drop_udp (param i32)))
  (import "wasi:sockets/udp@0.2.12" "[resource-drop]incoming-datagram-stream" (func $drop_incoming (param i32)))
  (import "wasi:sockets/udp@0.2.12" "[resource-drop]outgoing-datagram-stream" (func $drop_outgoing (param i32)))
  (import "wasi:sockets/ip-name-lookup@0.2.12" "resolve-addresses" (func $resolve_addresses (param i32 i32 i32 i32)))
  (import "wasi:sockets/ip-name-lookup@0.2.12" "[method]resolve-address-stream.resolve-next-address"
    (func $resolve_next (param i32 i32)))
  (import "wasi:sockets/ip-name-lookup@0.2.12" "[method]resolve-address-stream.subscribe"
    (func $resolve_subscribe (param i32) (result i32)))
  (import "wasi:sockets/ip-name-lookup@0.2.12" "[resource-drop]resolve-address-stream" (func $drop_resolve (param i32)))

  (memory (export "memory") 1)
  ;; 0-1023: return areas (RET) and the outgoing datagram (DGRAM); 1024: error-code names, 32
  ;; bytes each, in the enum's order; 2048: other text; 4096 on: cabi_realloc's heap.
  (global $RET i32 (i32.const 64))
  (global $DGRAM i32 (i32.const 256))
  (global $heap (mut i32) (i32.const 4096))
  (global $stdout (mut i32) (i32.const 0))

  (data (i32.const 1024) "unknown")
  (data (i32.const 1056) "access-denied")
  (data (i32.const 1088) "not-supported")
  (data (i32.const 1120) "invalid-argument")
  (data (i32.const 1152) "out-of-memory")
  (data (i32.const 1184) "timeout")
  (data (i32.const 1216) "concurrency-conflict")
  (data (i32.const 1248) "not-in-progress")
  (data (i32.const 1280) "would-block")
  (data (i32.const 1312) "invalid-state")
  (data (i32.const 1344) "new-socket-limit")
  (data (i32.const 1376) "address-not-bindable")
  (data (i32.const 1408) "address-in-use")
  (data (i32.const 1440) "remote-unreachable")
  (data (i32.const 1472) "connection-refused")
  (data (i32.const 1504) "connection-reset")
  (data (i32.const 1536) "connection-aborted")
  (data (i32.const 1568) "datagram-too-large")
  (data (i32.const 1600) "name-unresolvable")
  (data (i32.const 1632) "temporary-resolver-failure")
  (data (i32.const 1664) "permanent-resolver-failure")
  (data (i32.const 2048) "error: ")
  (data (i32.const 2064) "resolve")
  (data (i32.const 2080) "socket")
  (data (i32.const 2096) "connect")
  (data (i32.const 2112) "write")
  (data (i32.const 2128) "shutdown")
  (data (i32.const 2144) "read")
  (data (i32.const 2160) "bind")
  (data (i32.const 2176) "stream")
  (data (i32.const 2192) "send")
  (data (i32.const 2208) "receive")
  (data (i32.const 2224) " ")
  (data (i32.const 2240) "\n")
  (data (i32.const 2256) "no-ipv4-address")
  (data (i32.const 2288) "stream-error")
  (data (i32.const 2304) "tcp")
  (data (i32.const 2320) "udp")
  (data (i32.const 2336) "usage: client tcp|udp PORT MESSAGE [HOST]\n")

  ;; A bump allocator: nothing is freed in a run this short.
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

  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $n))

  (func $print (param $p i32) (param $len i32)
    (call $write_and_flush (global.get $stdout) (local.get $p) (local.get $len) (global.get $RET)))
  (func $print_text (param $p i32) (call $print (local.get $p) (call $strlen (local.get $p))))

  ;; Prints `error: STEP WHAT` (both zero-terminated text) and returns 1, run's err.
  (func $fail (param $step i32) (param $what i32) (result i32)
    (call $print_text (i32.const 2048))
    (call $print_text (local.get $step))
    (call $print_text (i32.const 2224))
    (call $print_text (local.get $what))
    (call $print_text (i32.const 2240))
    (i32.const 1))
  (func $fail_code (param $step i32) (param $code i32) (result i32)
    (call $fail (local.get $step) (i32.add (i32.const 1024) (i32.shl (local.get $code) (i32.const 5)))))

  (func $parse_u32 (param $p i32) (param $len i32) (result i32)
    (local $n i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10))
                             (i32.sub (i32.load8_u (i32.add (local.get $p) (local.get $i))) (i32.const 48))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $n))

  ;; Waits on a pollable, then drops it.
  (func $wait (param $pollable i32)
    (call $pollable_block (local.get $pollable))
    (call $drop_pollable (local.get $pollable)))

  (func $run (export "wasi:cli/run@0.2.12#run") (result i32)
    (local $argv i32) (local $argc i32) (local $port i32) (local $msg i32) (local $msg_len i32)
    (local $net i32) (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $r i32)
    (global.set $stdout (call $get_stdout))
    (call $get_arguments (global.get $RET))
    (local.set $argv (i32.load (global.get $RET)))
    (local.set $argc (i32.load offset=4 (global.get $RET)))
    (if (i32.lt_u (local.get $argc) (i32.const 4))
      (then (call $print_text (i32.const 2336)) (return (i32.const 1))))
    ;; argv[k] is a (pointer, length) pair at argv + 8k.
    (local.set $port (call $parse_u32 (i32.load offset=16 (local.get $argv)) (i32.load offset=20 (local.get $argv))))
    (local.set $msg (i32.load offset=24 (local.get $argv)))
    (local.set $msg_len (i32.load offset=28 (local.get $argv)))
    (local.set $net (call $instance_network))
    (local.set $a0 (i32.const 127)) (local.set $a3 (i32.const 1))
    (if (i32.ge_u (local.get $argc) (i32.const 5))
      (then
        (local.set $r (call $resolve (local.get $net) (i32.load offset=32 (local.get $argv)) (i32.load offset=36 (local.get $argv))))
        (if (i32.eq (local.get $r) (i32.const -1)) (then (return (i32.const 1))))
        (local.set $a0 (i32.and (local.get $r) (i32.const 255)))
        (local.set $a1 (i32.and (i32.shr_u (local.get $r) (i32.const 8)) (i32.const 255)))
        (local.set $a2 (i32.and (i32.shr_u (local.get $r) (i32.const 16)) (i32.const 255)))
        (local.set $a3 (i32.shr_u (local.get $r) (i32.const 24)))))
    ;; argv[1] is "tcp" or "udp": compare its first byte.
    (local.set $r
      (if (result i32) (i32.eq (i32.load8_u (i32.load offset=8 (local.get $argv))) (i32.const 116))
        (then (call $tcp (local.get $net) (local.get $port) (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3) (local.get $msg) (local.get $msg_len)))
        (else (call $udp (local.get $net) (local.get $port) (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3) (local.get $msg) (local.get $msg_len)))))
    (call $drop_network (local.get $net))
    (local.get $r))

  ;; The first IPv4 address of a name, its four bytes packed little-endian; -1 after printing why not.
  (func $resolve (param $net i32) (param $name i32) (param $len i32) (result i32)
    (local $stream i32) (local $ret i32)
    (local.set $ret (global.get $RET))
    (call $resolve_addresses (local.get $net) (local.get $name) (local.get $len) (local.get $ret))
    (if (i32.load8_u (local.get $ret))
      (then (drop (call $fail_code (i32.const 2064) (i32.load8_u offset=4 (local.get $ret)))) (return (i32.const -1))))
    (local.set $stream (i32.load offset=4 (local.get $ret)))
    ;; result<option<ip-address>, error-code>: discriminant at 0, the option's at 2, the address
    ;; variant's at 4, its bytes from 6 (an error's code at 2).
    (block $found (loop $next
      (call $resolve_next (local.get $stream) (local.get $ret))
      (if (i32.load8_u (local.get $ret))
        (then
          (if (i32.eq (i32.load8_u offset=2 (local.get $ret)) (i32.const 8))
            (then (call $wait (call $resolve_subscribe (local.get $stream))) (br $next)))
          (drop (call $fail_code (i32.const 2064) (i32.load8_u offset=2 (local.get $ret))))
          (call $drop_resolve (local.get $stream))
          (return (i32.const -1))))
      (if (i32.eqz (i32.load8_u offset=2 (local.get $ret)))
        (then
          (drop (call $fail (i32.const 2064) (i32.const 2256)))
          (call $drop_resolve (local.get $stream))
          (return (i32.const -1))))
      (br_if $found (i32.eqz (i32.load8_u offset=4 (local.get $ret))))
      (br $next)))
    (call $drop_resolve (local.get $stream))
    (i32.load offset=6 align=2 (local.get $ret)))

  (func $tcp (param $net i32) (param $port i32) (param $a0 i32) (param $a1 i32) (param $a2 i32) (param $a3 i32) (param $msg i32) (param $len i32) (result i32)
    (local $sock i32) (local $in i32) (local $out i32) (local $ret i32)
    (local.set $ret (global.get $RET))
    (call $create_tcp (i32.const 0) (local.get $ret))
    (if (i32.load8_u (local.get $ret)) (then (return (call $fail_code (i32.const 2080) (i32.load8_u offset=4 (local.get $ret))))))
    (local.set $sock (i32.load offset=4 (local.get $ret)))
    (call $start_connect (local.get $sock) (local.get $net)
      (i32.const 0) (local.get $port) (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (local.get $ret))
    ;; result<_, error-code>: the code at 1.
    (if (i32.load8_u (local.get $ret)) (then (return (call $fail_code (i32.const 2096) (i32.load8_u offset=1 (local.get $ret))))))
    (block $connected (loop $again
      (call $finish_connect (local.get $sock) (local.get $ret))
      (br_if $connected (i32.eqz (i32.load8_u (local.get $ret))))
      (if (i32.ne (i32.load8_u offset=4 (local.get $ret)) (i32.const 8))
        (then (return (call $fail_code (i32.const 2096) (i32.load8_u offset=4 (local.get $ret))))))
      (call $wait (call $tcp_subscribe (local.get $sock)))
      (br $again)))
    (local.set $in (i32.load offset=4 (local.get $ret)))
    (local.set $out (i32.load offset=8 (local.get $ret)))
    (call $write_and_flush (local.get $out) (local.get $msg) (local.get $len) (local.get $ret))
    (if (i32.load8_u (local.get $ret)) (then (return (call $fail (i32.const 2112) (i32.const 2288)))))
    (call $shutdown (local.get $sock) (i32.const 1) (local.get $ret))
    (if (i32.load8_u (local.get $ret)) (then (return (call $fail_code (i32.const 2128) (i32.load8_u offset=1 (local.get $ret))))))
    ;; Read until the stream is closed; a failed read is an error.
    (block $eof (loop $more
      (call $blocking_read (local.get $in) (i64.const 4096) (local.get $ret))
      (if (i32.load8_u (local.get $ret))
        (then
          (br_if $eof (i32.eq (i32.load8_u offset=4 (local.get $ret)) (i32.const 1)))
          (return (call $fail (i32.const 2144) (i32.const 2288)))))
      (call $print (i32.load offset=4 (local.get $ret)) (i32.load offset=8 (local.get $ret)))
      (br $more)))
    (call $drop_input (local.get $in))
    (call $drop_output (local.get $out))
    (call $drop_tcp (local.get $sock))
    (i32.const 0))

  (func $udp (param $net i32) (param $port i32) (param $a0 i32) (param $a1 i32) (param $a2 i32) (param $a3 i32) (param $msg i32) (param $len i32) (result i32)
    (local $sock i32) (local $in i32) (local $out i32) (local $ret i32) (local $d i32)
    (local.set $ret (global.get $RET))
    (call $create_udp (i32.const 0) (local.get $ret))
    (if (i32.load8_u (local.get $ret)) (then (return (call $fail_code (i32.const 2080) (i32.load8_u offset=4 (local.get $ret))))))
    (local.set $sock (i32.load offset=4 (local.get $ret)))
    ;; Bind to 0.0.0.0, port 0 (any).
    (call $udp_start_bind (local.get $sock) (local.get $net)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (local.get $ret))
    (if (i32.load8_u (local.get $ret)) (then (return (call $fail_code (i32.const 2160) (i32.load8_u offset=1 (local.get $ret))))))
    (call $udp_finish_bind (local.get $sock) (local.get $ret))
    (if (i32.load8_u (local.get $ret)) (then (return (call $fail_code (i32.const 2160) (i32.load8_u offset=1 (local.get $ret))))))
    ;; Connected to the peer: some(ipv4(port, address)).
    (call $udp_stream (local.get $sock)
      (i32.const 1) (i32.const 0) (local.get $port) (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (local.get $ret))
    (if (i32.load8_u (local.get $ret)) (then (return (call $fail_code (i32.const 2176) (i32.load8_u offset=4 (local.get $ret))))))
    (local.set $in (i32.load offset=4 (local.get $ret)))
    (local.set $out (i32.load offset=8 (local.get $ret)))
    ;; result<u64, error-code>: the count at 8.
    (call $check_send (local.get $out) (local.get $ret))
    (if (i32.load8_u (local.get $ret)) (then (return (call $fail_code (i32.const 2192) (i32.load8_u offset=8 (local.get $ret))))))
    ;; One outgoing-datagram { data: list<u8>, remote-address: none } (44 bytes; option at 8).
    (local.set $d (global.get $DGRAM))
    (i32.store (local.get $d) (local.get $msg))
    (i32.store offset=4 (local.get $d) (local.get $len))
    (i32.store8 offset=8 (local.get $d) (i32.const 0))
    (call $udp_send (local.get $out) (local.get $d) (i32.const 1) (local.get $ret))
    (if (i32.load8_u (local.get $ret)) (then (return (call $fail_code (i32.const 2192) (i32.load8_u offset=8 (local.get $ret))))))
    ;; Receive one datagram: an empty list means none yet, so wait on the stream.
    (block $got (loop $again
      (call $udp_receive (local.get $in) (i64.const 1) (local.get $ret))
      (if (i32.load8_u (local.get $ret)) (then (return (call $fail_code (i32.const 2208) (i32.load8_u offset=4 (local.get $ret))))))
      (br_if $got (i32.load offset=8 (local.get $ret)))
      (call $wait (call $incoming_subscribe (local.get $in)))
      (br $again)))
    ;; incoming-datagram { data: list<u8>, remote-address }: the data's pointer and length first.
    (local.set $d (i32.load offset=4 (local.get $ret)))
    (call $print (i32.load (local.get $d)) (i32.load offset=4 (local.get $d)))
    (call $drop_incoming (local.get $in))
    (call $drop_outgoing (local.get $out))
    (call $drop_udp (local.get $sock))
    (i32.const 0))
)
