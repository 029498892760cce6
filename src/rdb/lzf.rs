//! LZF decompression (the format Redis compresses RDB strings with), bounds-checked:
//! corrupt input is an error, never a panic or an out-of-bounds read.

/// Decompress `input` into `out` (cleared first); the result must be exactly `ulen` bytes.
pub fn decompress(input: &[u8], out: &mut Vec<u8>, ulen: usize) -> Result<(), &'static str> {
    out.clear();
    out.reserve(ulen);
    let mut i = 0;
    while i < input.len() {
        let ctrl = input[i] as usize;
        i += 1;
        if ctrl < 32 {
            let run = ctrl + 1;
            if i + run > input.len() {
                return Err("LZF literal run past the end of the compressed data");
            }
            if out.len() + run > ulen {
                return Err("LZF output longer than announced");
            }
            out.extend_from_slice(&input[i..i + run]);
            i += run;
        } else {
            let mut len = ctrl >> 5;
            if len == 7 {
                let Some(&b) = input.get(i) else {
                    return Err("LZF back reference cut short");
                };
                len += b as usize;
                i += 1;
            }
            let Some(&b) = input.get(i) else {
                return Err("LZF back reference cut short");
            };
            i += 1;
            let back = ((ctrl & 0x1f) << 8) + b as usize + 1;
            let len = len + 2;
            if back > out.len() {
                return Err("LZF back reference before the start of the output");
            }
            if out.len() + len > ulen {
                return Err("LZF output longer than announced");
            }
            let start = out.len() - back;
            if back >= len {
                out.extend_from_within(start..start + len);
            } else {
                // an overlapping copy (a run: `back` bytes repeated): copy what is already
                // there from `start`, doubling; every chunk but the last is a multiple of
                // `back` long, so the period is kept
                let mut copied = 0;
                while copied < len {
                    let n = (len - copied).min(back + copied);
                    out.extend_from_within(start..start + n);
                    copied += n;
                }
            }
        }
    }
    if out.len() != ulen {
        return Err("LZF output shorter than announced");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_and_backref() {
        // "abcabcabc": literal "abc" (ctrl 2), then back ref len 6 (ctrl (4<<5)|0, off 2)
        let data = [2u8, b'a', b'b', b'c', 4 << 5, 2];
        let mut out = Vec::new();
        decompress(&data, &mut out, 9).unwrap();
        assert_eq!(out, b"abcabcabc");
    }

    /// Overlapping back references (runs) give what a byte-by-byte copy gives.
    #[test]
    fn runs_copy_like_byte_by_byte() {
        for period in 1..6usize {
            for len in 3..40usize {
                // literal `period` bytes, then a back reference of `len` at distance `period`
                let lit: Vec<u8> = (0..period as u8).map(|i| b'a' + i).collect();
                let mut data = vec![(period - 1) as u8];
                data.extend_from_slice(&lit);
                let l = len - 2;
                let d = period - 1;
                if l < 7 {
                    data.push(((l as u8) << 5) | (d >> 8) as u8);
                } else {
                    data.push((7 << 5) | (d >> 8) as u8);
                    data.push((l - 7) as u8);
                }
                data.push(d as u8);
                let mut want = lit.clone();
                for k in 0..len {
                    want.push(want[k]);
                }
                let mut out = Vec::new();
                decompress(&data, &mut out, period + len).unwrap();
                assert_eq!(out, want, "period {period} len {len}");
            }
        }
    }

    #[test]
    fn corrupt_is_error_not_panic() {
        let mut out = Vec::new();
        assert!(decompress(&[5, b'a'], &mut out, 6).is_err());
        assert!(decompress(&[1 << 5, 9], &mut out, 3).is_err());
        assert!(decompress(&[0, b'a'], &mut out, 2).is_err());
        assert!(decompress(&[0xE0], &mut out, 20).is_err());
    }
}
