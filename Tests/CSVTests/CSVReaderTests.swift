import CSV
import Foundation
import SystemPackage
import TestSupport
import Testing

func records(_ path: String, delimiter: CSVDelimiter = .comma, encoding: TextEncoding = .utf8,
             blockSize: Int = 256 * 1024) throws -> [CSVRecord] {
    var out: [CSVRecord] = []
    try CSVReader(path: path, delimiter: delimiter, encoding: encoding, blockSize: blockSize).forEachRecord { out.append($0) }
    return out
}

@Suite("libcsv reader")
struct CSVReaderTests {
    @Test("records carry the line they start on, past blank lines and quoted newlines")
    func lineNumbers() throws {
        let path = try scratchFile("a,b\n\n1,\"two\nlines\"\n3,4\n")
        let read = try records(path)
        #expect(read.map(\.fields) == [["a", "b"], ["1", "two\nlines"], ["3", "4"]])
        #expect(read.map(\.line) == [1, 3, 5])
        #expect(read.map(\.lastLine) == [1, 4, 5])
        #expect(read[1].raw == "1,\"two\nlines\"")
    }

    @Test("CRLF line ends are not part of fields or raw text")
    func crlf() throws {
        let read = try records(try scratchFile("x,y\r\n1,2\r\n"))
        #expect(read.map(\.fields) == [["x", "y"], ["1", "2"]])
        #expect(read[1].raw == "1,2")
        #expect(read[1].line == 2)
    }

    @Test("the last record needs no newline")
    func noFinalNewline() throws {
        let read = try records(try scratchFile("x,y\n1,2"))
        #expect(read.last?.fields == ["1", "2"])
        #expect(read.last?.line == 2)
    }

    @Test("semicolon and tab delimiters; a tab is not trimmed as space")
    func delimiters() throws {
        #expect(try records(try scratchFile("a;b\n1;2\n"), delimiter: .semicolon)[1].fields == ["1", "2"])
        #expect(try records(try scratchFile("a\tb\n1\t\t3\n"), delimiter: .tab)[1].fields == ["1", "", "3"])
    }

    @Test("quotes: doubled quotes inside, delimiter inside")
    func quoting() throws {
        let read = try records(try scratchFile("\"a \"\"q\"\" b\",\"x,y\"\n"))
        #expect(read[0].fields == ["a \"q\" b", "x,y"])
    }

    @Test("a quote never closed swallows the rest and is reported with the line it opened on")
    func unterminatedQuote() throws {
        let read = try records(try scratchFile("a,b\n1,\"open\n2,3\n"))
        #expect(read.count == 2)
        #expect(read[1].hasUnterminatedQuote)
        #expect(read[1].line == 2)
        #expect(read[1].raw.contains("2,3"))
    }

    @Test("records split across tiny blocks read the same", arguments: [4096, 4099, 5000])
    func blockBoundaries(blockSize: Int) throws {
        var text = "point,time,value\n"
        for index in 0..<2_000 { text += "P\(index % 7),2026-10-01 \(index % 24):00,\"\(index).5\"\r\n" }
        let read = try records(try scratchFile(text), blockSize: blockSize)
        #expect(read.count == 2_001)
        #expect(read[1_234].fields == ["P\(1_233 % 7)", "2026-10-01 \(1_233 % 24):00", "1233.5"])
        #expect(read[1_234].line == 1_235)
    }

    @Test("GB18030 bytes (from Python's codec) are transcoded to UTF-8")
    func gb18030() throws {
        // '断面名称,监测时间,氨氮(mg/L)\r\n李大河龙虎塘桥,2026-10-01 00:00:00,0.52\r\n'.encode('gb18030')
        let bytes: [UInt8] = [182, 207, 195, 230, 195, 251, 179, 198, 44, 188, 224, 178, 226, 202, 177, 188, 228, 44,
                              176, 177, 181, 170, 40, 109, 103, 47, 76, 41, 13, 10, 192, 238, 180, 243, 186, 211, 193,
                              250, 187, 162, 204, 193, 199, 197, 44, 50, 48, 50, 54, 45, 49, 48, 45, 48, 49, 32, 48, 48,
                              58, 48, 48, 58, 48, 48, 44, 48, 46, 53, 50, 13, 10]
        let path = try scratchFile(bytes)
        let sniff = try FileSniffer.sniff(path: path)
        #expect(sniff.encoding == .gb18030)
        let read = try records(path, encoding: sniff.encoding, blockSize: 4096)
        #expect(read[0].fields == ["断面名称", "监测时间", "氨氮(mg/L)"])
        #expect(read[1].fields == ["李大河龙虎塘桥", "2026-10-01 00:00:00", "0.52"])
    }

    @Test("writer quotes with libcsv and the reader reads it back")
    func writerRoundTrip() throws {
        let fields = ["plain", "with,comma", "with \"quote\"", "two\nlines", "氨氮", ""]
        let line = CSVWriter().line(fields)
        #expect(line.hasPrefix("\"plain\",\"with,comma\",\"with \"\"quote\"\"\""))
        #expect(try records(try scratchFile(line))[0].fields == fields)
    }
}

@Suite("file sniffing")
struct FileSnifferTests {
    @Test("a UTF-8 BOM is detected and skipped")
    func bom() throws {
        let path = try scratchFile([0xEF, 0xBB, 0xBF] + Array("点位,时间\n".utf8))
        let sniff = try FileSniffer.sniff(path: path)
        #expect(sniff.encoding == .utf8WithBOM)
        #expect(try records(path, encoding: sniff.encoding)[0].fields == ["点位", "时间"])
    }

    @Test("the delimiter is guessed from the header")
    func delimiter() throws {
        #expect(try FileSniffer.sniff(path: scratchFile("a;b;c\n1,5;2;3\n")).delimiter == .semicolon)
        #expect(try FileSniffer.sniff(path: scratchFile("a\tb\tc\n1\t2\t3\n")).delimiter == .tab)
        #expect(try FileSniffer.sniff(path: scratchFile("a,b,c\n1,2,3\n")).delimiter == .comma)
        // A tie goes to the earlier of comma, semicolon, tab, whatever the process's hashing.
        for _ in 0..<5 { #expect(try FileSniffer.sniff(path: scratchFile("a;b\tc\n")).delimiter == .semicolon) }
    }

    @Test("NUL bytes make a file not text")
    func binary() throws {
        let sniff = try FileSniffer.sniff(path: scratchFile([0x50, 0x4B, 0x03, 0x04, 0, 0, 0x14, 0, 0, 0, 0x08, 0]))
        #expect(sniff.notTextReason != nil)
    }

    @Test("UTF-8 with one GBK line is mixed; the GBK line is flagged, the others are not")
    func mixed() throws {
        var bytes = Array("点位,时间,氨氮\n李大河一号,2026-10-01 00:00,0.5\n李大河二号,2026-10-01 01:00,0.6\n".utf8)
        bytes += [176, 177, 181, 170] + Array(",2026-10-01 02:00,0.7\n".utf8)  // 氨氮 in GBK
        let path = try scratchFile(bytes)
        let sniff = try FileSniffer.sniff(path: path)
        #expect(sniff.encoding == .mixedUTF8)
        let read = try records(path, encoding: sniff.encoding)
        #expect(read.map(\.hasInvalidEncoding) == [false, false, false, true])
        #expect(read[3].line == 4)
    }

    @Test("UTF-16LE with BOM (Excel's Unicode text) is transcoded")
    func utf16() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "a\tb\n1\t氨\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let path = try scratchFile(bytes)
        let sniff = try FileSniffer.sniff(path: path)
        #expect(sniff.encoding == .utf16LE)
        #expect(try records(path, delimiter: sniff.delimiter, encoding: sniff.encoding)[1].fields == ["1", "氨"])
    }
}

@Suite("inputs that are not files")
struct NotAFileTests {
    @Test("a device is refused before it is read, naming its kind")
    func device() {
        #expect(throws: InputFileError(path: "/dev/zero", reason: .notRegular(kind: "a character device"))) {
            try FileSniffer.sniff(path: "/dev/zero")
        }
    }

    @Test("a FIFO named .csv is refused at once, not waited on for a writer (issue 14.2)")
    func fifo() throws {
        let path = try scratchFile("", name: "placeholder")
        let fifo = (path as String) + ".fifo.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opening a FIFO for reading blocks until a writer comes: were it opened that way, this would hang.
        #expect(throws: InputFileError(path: fifo, reason: .notRegular(kind: "a FIFO (named pipe)"))) {
            try InputFile(path: fifo)
        }
    }

    @Test("a missing file is a cannot-open error with the system's reason")
    func missing() {
        #expect(throws: InputFileError(path: "/nonexistent/x.csv", reason: .cannotOpen(.noSuchFileOrDirectory))) {
            try InputFile(path: "/nonexistent/x.csv")
        }
    }
}
