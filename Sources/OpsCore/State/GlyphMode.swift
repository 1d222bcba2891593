/// Whether the terminal can show UTF-8 box drawing and symbols; under a C/POSIX locale the
/// console falls back to ASCII so nothing turns into question marks.
public enum GlyphMode: Sendable {
    case unicode
    case ascii
}
