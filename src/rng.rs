//! splitmix64: a small, fast generator that gives the same numbers everywhere, so a seed
//! always gives the same sample tenant and ids derived from other ids are reproducible.
//! Not for secrets.

use uuid::Uuid;

/// A splitmix64 generator; the field is its state.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A version-4 UUID from the next 128 bits.
    pub fn uuid(&mut self) -> Uuid {
        let bits = (self.next_u64() as u128) << 64 | self.next_u64() as u128;
        uuid::Builder::from_random_bytes(bits.to_le_bytes()).into_uuid()
    }

    /// A stable 64-bit digest of some ids: each is folded into the state, then mixed.
    pub fn digest(ids: &[Uuid]) -> u64 {
        let mut rng = SplitMix64(0);
        for id in ids {
            let (high, low) = id.as_u64_pair();
            for word in [high, low] {
                rng.0 ^= word;
                rng.next_u64();
            }
        }
        rng.next_u64()
    }
}
