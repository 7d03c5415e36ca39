import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Report
import Testing

/// User text (names and ids from the network files, cells from dumps) in each format it goes into.
/// Expected strings are written by hand from CommonMark's backslash escapes, XML 1.0's predefined entities and the
/// visible form `\u{1B}` the docs give (docs/operations.md, "User text in reports and terminals").
@Suite("escaping user text")
struct TextEscapingTests {
    @Test("Markdown: markup characters get a backslash; -, +, . and = only where they could open a block", arguments: [
        ("李大河", "李大河"), ("M-01", "M-01"), ("S1.2", "S1.2"), ("a|b_c", #"a\|b\_c"#), ("<script>", #"\<script\>"#),
        ("[x](http://e.vil)", #"\[x\]\(http://e.vil\)"#), ("# h", ##"\# h"##), ("- x", #"\- x"#), ("+1", #"\+1"#),
        ("12. x", #"12\. x"#), ("3) x", #"3\) x"#), ("=", #"\="#), ("a&amp;", #"a\&amp;"#), ("$x$", #"\$x\$"#),
        (#"a\b"#, #"a\\b"#), ("`code`", #"\`code\`"#), ("~~s~~", #"\~\~s\~\~"#), ("*b*", #"\*b\*"#),
    ])
    func markdown(_ text: String, expected: String) {
        #expect(escapeMarkdown(text) == expected)
    }

    @Test("Markdown: a line break or an escape sequence becomes its visible code, so a table row stays one row")
    func markdownLineBreaks() {
        #expect(escapeMarkdown("甲\n乙") == #"甲\\u\{0A\}乙"#)
        #expect(escapeMarkdown("a\r\nb") == #"a\\u\{0D\}\\u\{0A\}b"#)
        #expect(escapeMarkdown("\u{1B}[31m") == #"\\u\{1B\}\[31m"#)
        let row = "| " + escapeMarkdown("名\n|称") + " | 2 |"
        #expect(!row.contains("\n"))
        // Unescaped pipes: the two of the row itself and the one closing it.
        #expect(row.replacingOccurrences(of: #"\|"#, with: "").filter { $0 == "|" }.count == 3)
    }

    @Test("XML: the five predefined entities, and control characters as their visible code", arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"), ("a & b", "a &amp; b"),
        (#"say "x" 'y'"#, "say &quot;x&quot; &apos;y&apos;"), ("李大河", "李大河"), ("a\u{1B}b", #"a\u{1B}b"#),
        ("a\nb", #"a\u{0A}b"#), ("\u{0}", #"\u{00}"#), ("\u{FFFE}", #"\u{FFFE}"#),
    ])
    func xml(_ text: String, expected: String) {
        #expect(escapeXML(text) == expected)
    }

    @Test("XML: an escaped hostile string parses as the text of an element and of an attribute")
    func xmlParses() throws {
        let hostile = "\"/><script>x</script>\u{1B}\u{0}&'"
        let document = "<svg a=\"\(escapeXML(hostile))\" b='\(escapeXML(hostile))'><text>\(escapeXML(hostile))</text></svg>"
        let parser = XMLParser(data: Data(document.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }

    @Test("terminal: C0, DEL, C1 and bidirectional controls are shown as their code; text and CJK pass", arguments: [
        ("李大河 LDH-05", "李大河 LDH-05"), ("\u{1B}[2J\u{1B}]0;x\u{07}", #"\u{1B}[2J\u{1B}]0;x\u{07}"#),
        ("a\nb\r\tc", #"a\u{0A}b\u{0D}\u{09}c"#), ("\u{7F}\u{85}\u{9B}31m", #"\u{7F}\u{85}\u{9B}31m"#),
        ("abc\u{202E}fed", #"abc\u{202E}fed"#), ("\u{2066}x\u{2069}", #"\u{2066}x\u{2069}"#), (#"C:\dumps"#, #"C:\dumps"#),
    ])
    func terminal(_ text: String, expected: String) {
        #expect(terminalSafe(text) == expected)
    }

    @Test("a Markdown link target is percent-encoded except unreserved characters and /, so % in a file name survives",
          arguments: [
              ("rivers/M.md", "rivers/M.md"), ("rivers/a%2Fb.md", "rivers/a%252Fb.md"),
              ("rivers/李.md", "rivers/%E6%9D%8E.md"), ("../traces/x y(1).md", "../traces/x%20y%281%29.md"),
          ])
    func linkTarget(_ path: String, expected: String) {
        #expect(markdownLinkTarget(path) == expected)
    }
}
