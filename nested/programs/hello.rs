// Hello from Rust: std's args and a heap-allocated, sorted Vec.
fn main() {
    let mut words: Vec<String> = std::env::args().skip(1).collect();
    words.sort();
    println!("hello from Rust {}", words.join(" "));
}
