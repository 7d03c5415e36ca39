import Report
import Testing

/// The file-name form of ids (docs/operations.md, "Report files"). Expected names are written by hand from the
/// documented mapping; the FNV-1a 64 values come from Python (`h ^= byte; h = h * 0x100000001b3 mod 2^64`,
/// starting at 0xcbf29ce484222325), the empty string's and "a"'s are the FNV specification's test vectors.
@Suite("report file names from ids")
struct ReportFileNameTests {
    @Test("letters, digits, Chinese characters, -, _ and inner dots are kept; everything else is percent-encoded",
          arguments: [
              ("LDH-05", "LDH-05"), ("李大河藏龙桥", "李大河藏龙桥"), ("S1.2_b", "S1.2_b"),
              ("a/b", "a%2Fb"), ("a%2Fb", "a%252Fb"), ("..", "%2E."), (".hidden", "%2Ehidden"), ("../x", "%2E.%2Fx"),
              ("a b", "a%20b"), (#"a\b"#, "a%5Cb"), ("a:b", "a%3Ab"), ("a~b", "a%7Eb"), ("x\u{1B}", "x%1B"),
              ("甲\u{3000}乙", "甲%E3%80%80乙"),
          ])
    func mapping(_ id: String, expected: String) {
        #expect(ReportFileName.component(id) == expected)
    }

    @Test("an empty id is the hash of nothing: ~ and FNV-1a 64 of no bytes")
    func empty() {
        #expect(ReportFileName.component("") == "~cbf29ce484222325")
    }

    @Test("an id of 300 bytes keeps 111 bytes, then ~ and the FNV-1a 64 of the whole id (128 bytes in all)")
    func long() {
        let name = ReportFileName.component(String(repeating: "x", count: 300))
        #expect(name == String(repeating: "x", count: 111) + "~e78ddf9f1ba85555")
        #expect(name.utf8.count == 128)
    }

    @Test("two long ids that share 299 bytes get different names")
    func longSharedPrefix() {
        let a = ReportFileName.component(String(repeating: "x", count: 300))
        let b = ReportFileName.component(String(repeating: "x", count: 299) + "y")
        #expect(b == String(repeating: "x", count: 111) + "~e78dde9f1ba853a2")
        #expect(a != b)
    }

    @Test("a truncated name never splits a percent escape or a character")
    func truncationKeepsUnits() {
        // 110 x, then 河 (3 bytes kept as is) and / (encoded to 3 bytes): 110 + 3 = 113 > 111, so 河 goes.
        let name = ReportFileName.component(String(repeating: "x", count: 110) + "河/" + String(repeating: "y", count: 40))
        #expect(name.hasPrefix(String(repeating: "x", count: 110) + "~"))
        #expect(name.utf8.count == 110 + 17)
    }

    @Test("the mapping is one to one on ids that look alike, and no name has a / or begins with a dot")
    func injective() {
        let long = String(repeating: "河", count: 100)
        let ids = ["a/b", "a%2Fb", "a%2fb", "a_2Fb", ".", "..", "%2E.", "%2E", ".a", "a.", "A", "a", "M-01", "m-01",
                   "", "~", "~cbf29ce484222325", long, long + "1", long + "2", "x/../y", "x%2F..%2Fy", "\u{E9}", "e\u{301}"]
        let names = ids.map(ReportFileName.component)
        #expect(Set(names).count == ids.count, "\(names)")
        for name in names {
            #expect(!name.contains("/"))
            #expect(!name.hasPrefix("."))
            #expect(!name.isEmpty && name.utf8.count <= ReportFileName.maximumBytes)
        }
    }
}
