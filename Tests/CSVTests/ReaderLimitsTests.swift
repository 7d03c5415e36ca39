@testable import CSV
import Foundation
import TestSupport
import Testing

/// Issue 14.4 and 14.5: long fields and rows, and CR-only line ends.
@Suite("reader limits and line ends")
struct ReaderLimitsTests {
    func read(_ text: String, limits: CSVLimits, blockSize: Int = 4096) throws -> [CSVRecord] {
        var out: [CSVRecord] = []
        try CSVReader(path: try scratchFile(text), limits: limits, blockSize: blockSize).forEachRecord { out.append($0) }
        return out
    }

    @Test("a field past the limit marks its row, names the field and its length; the rows around it are read")
    func longField() throws {
        let limits = CSVLimits(maxFieldBytes: 10, maxRecordBytes: 1_000, maxRawBytes: 100)
        let read = try read("a,b\n1,2\n3,\(String(repeating: "x", count: 25))\n4,5\n", limits: limits)
        #expect(read.count == 4)
        #expect(read[2].overflow == .field(index: 1, byteCount: 25))
        #expect(read[2].fieldCount == 0)
        #expect(read[2].line == 3)
        #expect(read[1].fields == ["1", "2"] && read[3].fields == ["4", "5"])
        #expect(read[3].overflow == nil)
    }

    @Test("a field longer than a block is measured whole", arguments: [4096, 5003])
    func fieldAcrossBlocks(blockSize: Int) throws {
        let limits = CSVLimits(maxFieldBytes: 1_000, maxRecordBytes: 1_000_000, maxRawBytes: 64)
        let cell = String(repeating: "y", count: 50_000)
        let read = try read("a,b\n\"\(cell)\",1\n2,3\n", limits: limits, blockSize: blockSize)
        #expect(read.map(\.line) == [1, 2, 3])
        #expect(read[1].overflow == .field(index: 0, byteCount: 50_000))
        #expect(read[2].fields == ["2", "3"])
    }

    @Test("a row past the limit is one overflowing record with its whole length; its raw text keeps the start")
    func longRecord() throws {
        let limits = CSVLimits(maxFieldBytes: 10, maxRecordBytes: 100, maxRawBytes: 20)
        let row = Array(repeating: "1234", count: 60).joined(separator: ",")  // 299 bytes
        let read = try read("a\n\(row)\nz\n", limits: limits)
        #expect(read.count == 3)
        #expect(read[1].overflow == .record(byteCount: 299))
        #expect(read[1].rawBytes.count == 20)
        #expect(read[1].rawByteCount == 299)
        #expect(read[1].rawIsTruncated)
        #expect(read[2].fields == ["z"] && read[2].line == 3)
    }

    @Test("a row exactly as long as the raw limit is kept whole, CRLF or not", arguments: ["\n", "\r\n"])
    func rawBoundary(lineEnd: String) throws {
        let limits = CSVLimits(maxFieldBytes: 100, maxRecordBytes: 1_000, maxRawBytes: 9)
        let read = try read("abcd,efgh\(lineEnd)x\(lineEnd)", limits: limits)
        #expect(read[0].raw == "abcd,efgh")
        #expect(!read[0].rawIsTruncated)
        #expect(read[0].rawByteCount == 9)
    }

    /// docs/formats.md: the quarantine keeps at most 16,384 bytes of a row's raw text.
    @Test("a row of bytes that are not UTF-8 keeps at most 16,384 bytes of text, each byte shown as U+FFFD")
    func rawLimitCountsText() throws {
        let gbk = Array(repeating: [UInt8]([0xB0, 0xB1]), count: 5_000).joined()  // 氨 in GBK, 5,000 times
        let path = try scratchFile(Array("a,b\n1,".utf8) + gbk + Array("\n2,3\n".utf8))
        var read: [CSVRecord] = []
        try CSVReader(path: path, encoding: .mixedUTF8).forEachRecord { read.append($0) }
        #expect(read[1].hasInvalidEncoding)
        // "1," and 5,460 U+FFFD: 16,382 bytes; one more U+FFFD would make 16,385.
        #expect(read[1].raw == "1," + String(repeating: "\u{FFFD}", count: 5_460))
        #expect(read[1].raw.utf8.count == 16_382)
        #expect(read[1].rawBytes.count == 5_462)
        #expect(read[1].rawByteCount == 10_002)
        #expect(read[1].rawIsTruncated)
    }

    @Test("a character cut by the raw limit is left out whole, not kept as U+FFFD")
    func rawLimitBetweenCharacters() throws {
        let limits = CSVLimits(maxFieldBytes: 100, maxRecordBytes: 1_000, maxRawBytes: 10)
        let read = try read("a\n氨氮氨氮\n", limits: limits)  // 12 bytes: the limit falls in the fourth character
        #expect(read[1].raw == "氨氮氨")
        #expect(read[1].rawByteCount == 12)
        #expect(read[1].rawIsTruncated)
    }

    @Test("CR-only line ends (old spreadsheet exports) are read row by row with their line numbers")
    func carriageReturnOnly() throws {
        let path = try scratchFile("a,b\r1,2\r\r3,\"x\ry\"\r4,5\r")
        let sniff = try FileSniffer.sniff(path: path)
        #expect(sniff.lineEnding == .carriageReturn)
        var read: [CSVRecord] = []
        try CSVReader(file: InputFile(path: path), sniff: sniff).forEachRecord { read.append($0) }
        #expect(read.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "x\ry"], ["4", "5"]])
        #expect(read.map(\.line) == [1, 2, 4, 6])
        #expect(read[1].raw == "1,2")
    }

    @Test("LF and CRLF files stay LF; a stray CR in a field does not make a file CR-only")
    func lineFeedFiles() throws {
        #expect(try FileSniffer.sniff(path: scratchFile("a,b\r\n1,2\r\n")).lineEnding == .lineFeed)
        #expect(try FileSniffer.sniff(path: scratchFile("a,b\n1,\"x\ry\"\n3,4\n")).lineEnding == .lineFeed)
    }

    @Test("the sniffer finds a lone CR, a control byte, a multibyte character and a stray byte wherever they stand in the eight-byte words it passes over",
          arguments: 0..<9)
    func sniffAtEveryOffset(offset: Int) throws {
        let padding = String(repeating: "a", count: offset)
        let loneCR = try FileSniffer.sniff(path: scratchFile("h1,h2\n" + padding + "x\ry,1\n" + padding + "pq,2\n"))
        #expect(loneCR.hasLoneCarriageReturns)
        #expect(!loneCR.hasControlBytes)
        #expect(loneCR.lineEnding == .lineFeed)
        let control = try FileSniffer.sniff(path: scratchFile("h1,h2\n" + padding + "p\u{07}q,2\n"))
        #expect(control.hasControlBytes)
        #expect(!control.hasLoneCarriageReturns)
        #expect(try FileSniffer.sniff(path: scratchFile("h1,h2\n" + padding + "氨氮,2\n")).encoding == .utf8)
        let stray = try FileSniffer.sniff(path: scratchFile(Array(("h1,h2\n" + padding).utf8) + [0xB0, 0x31, 0x0A]))
        #expect(stray.encoding != .utf8)
    }

    @Test("the parsing pass shows every byte it reads to its observer, in order")
    func observesBytes() throws {
        let text = (0..<3_000).map { "\($0),v\($0)\n" }.joined()
        let path = try scratchFile(text)
        var seen: [UInt8] = []
        try CSVReader(path: path, blockSize: 4096).forEachRecord(observe: { seen += $0 }) { _ in }
        #expect(seen == Array(text.utf8))
    }
}

/// Issue 14.2: a read that does not return is bounded in time.
@Suite("read stall guard")
struct ReadStallGuardTests {
    @Test("a read running past the limit is reported with its path; a finished one is not")
    func stalledRead() throws {
        let guardian = ReadStallGuard()
        let reported = Reported()
        // A limit the watcher thread never reaches in this test: the checks below are made by hand.
        guardian.configure(limitSeconds: 3_600) { path, _ in reported.add(path) }
        #expect(guardian.checkOnce(now: .now + .seconds(7_200)) == nil, "no read in progress")
        let inRead = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            _ = try? guardian.watch("/mnt/hung/export.csv") {
                inRead.signal()
                release.wait()
            }
            finished.signal()
        }
        thread.start()
        inRead.wait()
        #expect(guardian.checkOnce(now: .now) == nil, "within the limit")
        #expect(guardian.checkOnce(now: .now + .seconds(7_200)) == "/mnt/hung/export.csv")
        #expect(reported.paths == ["/mnt/hung/export.csv"])
        release.signal()
        finished.wait()
        #expect(guardian.checkOnce(now: .now + .seconds(7_200)) == nil, "the read returned")
        #expect(reported.paths.count == 1)
    }
}

private final class Reported: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ path: String) { lock.withLock { list.append(path) } }
    var paths: [String] { lock.withLock { list } }
}

/// Findings of the fuzz targets (Fuzz/regressions), worked here as readable cases.
@Suite("reader line ends and block boundaries")
struct ReaderLineEndTests {
    func read(_ bytes: [UInt8], blockSize: Int = 4096, limits: CSVLimits = .standard) throws -> [CSVRecord] {
        let path = try scratchFile(bytes)
        var out: [CSVRecord] = []
        try CSVReader(file: InputFile(path: path), sniff: FileSniffer.sniff(path: path), limits: limits, blockSize: blockSize)
            .forEachRecord { out.append($0) }
        return out
    }

    @Test("a lone CR inside an LF file's line ends that row there: two records, each with its own text and line")
    func loneCarriageReturnMidLine() throws {
        let read = try read(Array("a,b\n1,2\r3,4\n5,6\n".utf8))
        #expect(read.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(read.map(\.raw) == ["a,b", "1,2", "3,4", "5,6"])
        #expect(read.map(\.line) == [1, 2, 3, 4])
    }

    @Test("a lone CR inside a quoted field is part of the field, not a line end")
    func carriageReturnInQuotes() throws {
        let read = try read(Array("a,b\n\"x\ry\",2\n3,4\n".utf8))
        #expect(read.map(\.fields) == [["a", "b"], ["x\ry", "2"], ["3", "4"]])
        #expect(read.map(\.line) == [1, 2, 3])
    }

    @Test("a CRLF cut by a block boundary is one line end", arguments: [4095, 4096, 4097])
    func crlfAcrossBlocks(blockSize: Int) throws {
        // Lines of 16 bytes with CRLF; with a lone CR elsewhere so the reader looks for CRs too.
        var text = "h1,h2\r\n"
        while text.utf8.count < 3 * blockSize { text += "0123456789,abc\r\n" }
        text += "x,y\rz,w\r\n"
        let read = try read(Array(text.utf8), blockSize: blockSize)
        let lines = text.utf8.count / 16
        #expect(read.count >= lines)
        for (index, record) in read.enumerated() { #expect(record.line == index + 1, "record \(index)") }
        #expect(read.suffix(2).map(\.fields) == [["x", "y"], ["z", "w"]])
    }

    /// Fuzz finding `crlf-split-raw` (Fuzz/regressions/crlf-split-raw.csv, built the same way): the reference is
    /// the row's bytes as written here.
    @Test("in a CR-only file, a CRLF inside quotes cut by a block boundary keeps its LF in the raw text",
          arguments: [4096, 1 << 20])
    func crlfInQuotesAcrossBlocks(blockSize: Int) throws {
        var text = "point_id,value,flag\r"
        while text.utf8.count < 4000 { text += "LDH-01,0.52,N\r" }
        let rowsBefore = (text.utf8.count - 20) / 14
        let opening = "LDH-01,0.53,\"N"
        // The quoted cell's CR is byte 4,095, the last of the first 4 KiB block; its LF opens the second.
        let cell = String(repeating: "x", count: 4095 - text.utf8.count - opening.utf8.count)
        let row = opening + cell + "\r\nmaintenance\""
        text += row + "\rLDH-01,0.54,N\r"
        let bytes = Array(text.utf8)
        #expect(bytes[4095] == 0x0D && bytes[4096] == 0x0A)

        let read = try read(bytes, blockSize: blockSize)
        #expect(read.count == rowsBefore + 3)
        let cut = read[rowsBefore + 1]
        #expect(Array(cut.rawBytes) == Array(row.utf8))
        #expect(cut.rawByteCount == row.utf8.count)
        #expect(cut.fields == ["LDH-01", "0.53", "N" + cell + "\r\nmaintenance"])
        #expect((cut.line, cut.lastLine) == (rowsBefore + 2, rowsBefore + 3))
        #expect(read.last?.line == rowsBefore + 4)
    }

    @Test("a record exactly at the length limit is accepted, whatever its line end", arguments: ["\n", "\r\n"])
    func recordLimitExactly(lineEnd: String) throws {
        let limits = CSVLimits(maxFieldBytes: 100, maxRecordBytes: 20, maxRawBytes: 100)
        let row = "abcdefghi,klmnopqrst"  // 20 bytes
        let read = try read(Array("a,b\(lineEnd)\(row)\(lineEnd)\(row)x\(lineEnd)".utf8), limits: limits)
        #expect(read[1].overflow == nil)
        #expect(read[1].fields == ["abcdefghi", "klmnopqrst"])
        #expect(read[2].overflow == .record(byteCount: 21))
    }

    @Test("in a mixed-encoding file, a UTF-8 character cut by a block boundary is not an invalid line", arguments: [4096, 4097, 4098])
    func characterAcrossBlocks(blockSize: Int) throws {
        // Valid UTF-8 lines of 3-byte characters, one GBK line to make the file mixed.
        var bytes = Array("点位,数值\n".utf8)
        while bytes.count < 2 * blockSize { bytes += Array("监测点位名称很长的一行,1\n".utf8) }
        bytes += [176, 177, 181, 170] + Array(",2\n".utf8)  // 氨氮 in GBK
        let read = try read(bytes, blockSize: blockSize)
        #expect(read.filter(\.hasInvalidEncoding).map(\.line) == [read.count])
    }
}
