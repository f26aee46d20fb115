//! A small seeded random generator (xorshift64*) for the tests' and examples' generated inputs:
//! the same sequence for the same seed on every machine, no dependency. Included by `#[path]`
//! from `dockerfile_support`, `overlay_equivalence` and `examples/fuzz_archive.rs`.

#![allow(dead_code)]

/// xorshift64* — deterministic for a given seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}
