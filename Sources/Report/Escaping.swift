/// User text (names and ids from the network files, cells of dumps) escaped for each format it goes into: Markdown,
/// XML/SVG and the terminal. The spreadsheet guard for CSV is `CSVWriter(spreadsheetSafe:)`. Rules and examples:
/// docs/operations.md, "User text in reports and terminals".

/// Escapes text for Markdown (CommonMark and GitHub tables): a backslash before every character that is markup
/// anywhere in a line (`` \ ` * _ { } [ ] ( ) # ! | < > ~ & $ ``), before `-`, `+` and `=` at the start and before the
/// `.` or `)` of a leading number (list markers, setext underlines), and control characters (line breaks, ESC) as
/// their visible code `\u{0A}`, so that a name never breaks a table row or opens a link, tag or heading.
public func escapeMarkdown(_ text: String) -> String {
    var out = ""
    var leadingDigits = true
    for (offset, scalar) in text.unicodeScalars.enumerated() {
        if let code = visibleCode(scalar) {
            for character in code.unicodeScalars {
                if character == "\\" || character == "{" || character == "}" { out.append("\\") }
                out.unicodeScalars.append(character)
            }
            leadingDigits = false
            continue
        }
        let markup = "\\`*_{}[]()#!|<>~&$".unicodeScalars.contains(scalar)
            || (offset == 0 && "-+=".unicodeScalars.contains(scalar))
            || (leadingDigits && offset > 0 && scalar == ".")
        if markup { out.append("\\") }
        out.unicodeScalars.append(scalar)
        leadingDigits = leadingDigits && ("0"..."9").contains(scalar)
    }
    return out
}

/// A relative path as a Markdown link target: every byte outside the URL's unreserved characters (letters and
/// digits of ASCII, `-._~`) and `/` percent-encoded as UTF-8, so that a file name's own `%2F` reaches the file.
public func markdownLinkTarget(_ path: String) -> String {
    var out = ""
    for byte in path.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            out += percentEncoded(byte)
        }
    }
    return out
}

/// Escapes text for XML and SVG, in element content and in attribute values quoted either way: `& < > " '` as
/// entities, and characters XML 1.0 does not allow or would fold (control characters, U+FFFE, U+FFFF) as their
/// visible code `\u{1B}`.
public func escapeXML(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        if let code = visibleCode(scalar) {
            out += code
            continue
        }
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// Text for a terminal or a log: control characters (C0 with line breaks and tabs, DEL, C1) and bidirectional
/// formatting characters shown as their code (`\u{1B}`), so that a cell of a dump cannot move the cursor, clear the
/// screen, set the window title or reorder what a person reads. Everything else, Chinese included, passes as is.
/// Apply it to each piece of user text, not to a whole message whose line breaks are meant.
public func terminalSafe(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { visibleCode($0) != nil }) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
        if let code = visibleCode(scalar) { out += code } else { out.unicodeScalars.append(scalar) }
    }
    return out
}

/// `\u{1B}` for a character no format may carry as is (Unicode Cc, the bidirectional controls, and the
/// non-characters U+FFFE and U+FFFF that XML forbids); nil for the others.
func visibleCode(_ scalar: Unicode.Scalar) -> String? {
    switch scalar.value {
    case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFFFE, 0xFFFF: break
    default: guard scalar.properties.generalCategory == .control else { return nil }
    }
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "\\u{" + (hex.count < 2 ? "0" : "") + hex + "}"
}

/// `%2F`: one byte percent-encoded.
func percentEncoded(_ byte: UInt8) -> String {
    let hex = String(byte, radix: 16, uppercase: true)
    return "%" + (hex.count < 2 ? "0" : "") + hex
}
