;; A nested component instantiated with an argument of the wrong type: it imports a function
;; returning a string and is given one returning a u32. Instantiation must fail with a LinkError
;; (test/component/instantiate.test.ts). Built by ../build.sh (jco parse, which does not validate).
(component
  (core module $m (func (export "f") (result i32) (i32.const 1)))
  (core instance $i (instantiate $m))
  (func $f (result u32) (canon lift (core func $i "f")))
  (component $inner
    (import "f" (func (result string))))
  (instance (instantiate $inner (with "f" (func $f))))
)
