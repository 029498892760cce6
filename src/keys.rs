//! How a key's bytes are shown, and read back (SPEC §1: key names are bytes).
//!
//! - [`key_text`]: the form every output uses (tables, CSV, JSON, prompts): printable UTF-8 as
//!   is, anything a terminal would interpret or a reader could not see escaped as redis-cli
//!   quotes it (`\xff`, `\n`, `\\`). It is reversible: [`parse_key_text`] gives the bytes back,
//!   so a key copied from any output can be handed to `invalidate keys`. Never U+FFFD.
//! - [`pattern_text`]: one mark per byte that is not safe printable text, so a pattern built
//!   from it stays an exact glob for the original bytes (the mark becomes `?`).

/// Stands for one byte that is not safe printable UTF-8 (invalid UTF-8, a control or bidi
/// character) in [`pattern_text`]; in a pattern it becomes `?`, which matches exactly one byte
/// in a Redis glob.
pub const BYTE_MARK: char = '\u{FFFD}';

/// Characters a terminal interprets or a reader cannot see: control characters (C0, DEL, C1),
/// bidirectional overrides, embeddings and isolates (U+202E reverses what follows), marks,
/// zero-width characters, line/paragraph separators and the BOM.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}'                  // Arabic letter mark
            | '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
            | '\u{2028}'..='\u{202E}'   // line/paragraph separators, embeddings, overrides
            | '\u{2060}'..='\u{2069}'   // word joiner, invisible operators, isolates
            | '\u{FEFF}') // BOM / zero-width no-break space
}

/// A key as text that can be shown anywhere and read back with [`parse_key_text`]: printable
/// UTF-8 as is; `\` as `\\`; `\n`, `\r`, `\t`, `\a`, `\b` as such; every other byte of invalid
/// UTF-8 or of an unsafe character ([`is_unsafe`]) as `\xHH` — redis-cli's quoting, without
/// the surrounding quotes.
pub fn key_text(key: &[u8]) -> String {
    let mut out = String::with_capacity(key.len());
    let hex = |out: &mut String, bytes: &[u8]| {
        for b in bytes {
            out.push_str(&format!("\\x{b:02x}"));
        }
    };
    for chunk in key.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{7}' => out.push_str("\\a"),
                '\u{8}' => out.push_str("\\b"),
                c if is_unsafe(c) => hex(&mut out, c.encode_utf8(&mut [0; 4]).as_bytes()),
                c => out.push(c),
            }
        }
        hex(&mut out, chunk.invalid());
    }
    out
}

/// The bytes of a key written as [`key_text`] writes it (and as redis-cli quotes: `\"` is a
/// quote). A backslash starts an escape; one that starts none (`\q`, a trailing `\`) is an
/// error naming it, so a key is never guessed.
pub fn parse_key_text(text: &str) -> Result<Vec<u8>, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let byte = match bytes.get(i + 1) {
            Some(b'\\') => b'\\',
            Some(b'"') => b'"',
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'a') => 7,
            Some(b'b') => 8,
            Some(b'x') => {
                let hex = bytes
                    .get(i + 2..i + 4)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 4;
                        continue;
                    }
                    None => {
                        return Err(format!(
                            "key `{text}`: `\\x` needs two hex digits (a backslash itself is written `\\\\`)"
                        ))
                    }
                }
            }
            other => {
                let what = other.map_or("\\".to_string(), |_| {
                    let rest = &text[i..];
                    rest.chars().take(2).collect()
                });
                return Err(format!(
                    "key `{text}`: `{what}` is not an escape (\\\\ \\\" \\n \\r \\t \\a \\b \\xHH; a backslash itself is written `\\\\`)"
                ));
            }
        };
        out.push(byte);
        i += 2;
    }
    Ok(out)
}

/// A key as text for pattern building: safe printable UTF-8 kept, every byte of anything else
/// replaced by [`BYTE_MARK`]. The result has one char per such byte, so patterns built from
/// it stay exact globs for the original bytes.
pub fn pattern_text(key: &[u8]) -> String {
    let mut out = String::with_capacity(key.len());
    pattern_text_into(key, &mut out);
    out
}

/// [`pattern_text`] appended to `out` (a reused buffer: no allocation once it is warm).
pub fn pattern_text_into(key: &[u8], out: &mut String) {
    // the common case: printable ASCII is its own text
    if key.iter().all(|b| (0x20..0x7f).contains(b)) {
        out.push_str(std::str::from_utf8(key).expect("ASCII"));
        return;
    }
    for chunk in key.utf8_chunks() {
        for c in chunk.valid().chars() {
            if is_unsafe(c) || c == BYTE_MARK {
                // one mark per byte (a genuine U+FFFD is 3 bytes: three marks)
                for _ in 0..c.len_utf8() {
                    out.push(BYTE_MARK);
                }
            } else {
                out.push(c);
            }
        }
        for _ in chunk.invalid() {
            out.push(BYTE_MARK);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_keys_are_shown_as_they_are() {
        for k in [
            "user:1",
            "caf\u{e9}:日本",
            "a b\"c'",
            "we*rd?[x]",
            "\u{FFFD}",
        ] {
            assert_eq!(key_text(k.as_bytes()), k);
        }
    }

    #[test]
    fn what_a_terminal_interprets_is_escaped_visibly() {
        assert_eq!(key_text(b"bin:\xff\xfe\x00x"), "bin:\\xff\\xfe\\x00x");
        assert_eq!(
            key_text(b"new\nline\r\t\x07\x08\x1b[2J"),
            "new\\nline\\r\\t\\a\\b\\x1b[2J"
        );
        assert_eq!(key_text(b"back\\slash"), "back\\\\slash");
        assert_eq!(key_text("a\u{202E}b".as_bytes()), "a\\xe2\\x80\\xaeb");
        assert_eq!(
            key_text("\u{85}\u{200B}\u{2066}".as_bytes()),
            "\\xc2\\x85\\xe2\\x80\\x8b\\xe2\\x81\\xa6"
        );
        assert_eq!(key_text(b"\x7f"), "\\x7f");
        for k in [&b"x\xff\nq\xe2\x80\xaez\\"[..], b"\\x41", b"\xe2\x80"] {
            let t = key_text(k);
            assert!(!t.contains('\u{FFFD}'), "{t}");
            assert!(t.chars().all(|c| !is_unsafe(c)), "{t:?}");
        }
    }

    #[test]
    fn the_text_reads_back_to_the_same_bytes() {
        let keys: [&[u8]; 8] = [
            b"plain:key",
            b"\xff\n\\\xe2\x80\xae",
            b"\\x41", // a literal backslash-x: not the byte A
            b"\\\\",
            b"trailing\\",
            b"\x00\x01\x1f\x7f\x80",
            "r\u{e9}sum\u{e9}\u{202E}".as_bytes(),
            b"",
        ];
        for k in keys {
            assert_eq!(parse_key_text(&key_text(k)).unwrap(), k, "{}", key_text(k));
        }
        // every byte value, alone and in a run
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(parse_key_text(&key_text(&all)).unwrap(), all);
        // redis-cli's quotes and upper-case hex read too
        assert_eq!(parse_key_text("a\\\"b\\xFF").unwrap(), b"a\"b\xff");
    }

    #[test]
    fn a_backslash_that_starts_no_escape_is_an_error() {
        for bad in ["a\\q", "a\\", "a\\x4", "a\\xzz", "\\é"] {
            let e = parse_key_text(bad).unwrap_err();
            assert!(
                e.contains("a backslash itself is written `\\\\`"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn pattern_text_has_one_mark_per_unsafe_byte() {
        assert_eq!(pattern_text(b"bin:\xff\x00x"), "bin:\u{FFFD}\u{FFFD}x");
        assert_eq!(
            pattern_text("a\u{202E}b".as_bytes())
                .chars()
                .filter(|c| *c == BYTE_MARK)
                .count(),
            3
        );
        assert_eq!(pattern_text("\u{FFFD}".as_bytes()).chars().count(), 3);
        assert_eq!(pattern_text("caf\u{e9}".as_bytes()), "caf\u{e9}");
    }
}
