//! How a key's bytes are shown: printable UTF-8 as is, every other byte as one mark, so a
//! pattern built from the text stays an exact glob for the original bytes. Used by every
//! command that prints keys.

/// Stands for one byte that is not printable UTF-8 (invalid UTF-8, a control character);
/// in a pattern it becomes `?`, which matches exactly one byte in a Redis glob.
pub const BYTE_MARK: char = '\u{FFFD}';

/// A key as text: printable UTF-8 kept, every other byte replaced by [`BYTE_MARK`]. The
/// result has one char per original byte outside valid printable text, so patterns built
/// from it stay exact globs for the original bytes.
pub fn key_text(key: &[u8]) -> String {
    let mut out = String::with_capacity(key.len());
    for chunk in key.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                out.push(BYTE_MARK);
            } else if c == BYTE_MARK {
                // a genuine U+FFFD is 3 bytes: three one-byte marks
                out.push_str("\u{FFFD}\u{FFFD}\u{FFFD}");
            } else {
                out.push(c);
            }
        }
        for _ in chunk.invalid() {
            out.push(BYTE_MARK);
        }
    }
    out
}
