/// What one pass over a file found out before it is parsed: encoding, delimiter, whether it is text at all.
public struct FileSniff: Sendable {
    /// The encoding the bytes are in.
    public var encoding: TextEncoding
    /// The delimiter that splits the first lines best.
    public var delimiter: CSVDelimiter
    /// The byte that ends most lines: CR only when lone CRs (not followed by LF) outnumber LFs.
    public var lineEnding: LineEnding = .lineFeed
    /// True when some CR is not followed by LF: the reader then also ends lines at lone CRs (classic Mac OS files,
    /// and a CR left inside an LF file's line, where libcsv ends a row).
    public var hasLoneCarriageReturns = false
    /// The file's size in bytes.
    public var byteCount: Int
    /// Why the file is not CSV text at all (NUL bytes, control characters), or nil when it is text.
    public var notTextReason: String?
    /// True when a text file holds a few NUL or control bytes (not tab, CR, LF): the lines that hold them are
    /// damaged and are flagged by the reader.
    public var hasControlBytes = false
}

/// Looks at a whole file once, in blocks, to choose how to read it.
///
/// Encoding rule: a BOM decides (UTF-8, UTF-16); otherwise valid UTF-8 throughout is UTF-8; otherwise,
/// when valid multibyte UTF-8 sequences outnumber invalid bytes two to one, the file is UTF-8 with some
/// lines in another encoding (`mixedUTF8`, those lines are flagged); otherwise GB18030.
public enum FileSniffer {
    /// Opens and scans `path`, handing every block to `observe`.
    /// - Throws: ``InputFileError`` when the file cannot be opened or read.
    public static func sniff(path: String, blockSize: Int = 256 * 1024,
                             observe: (ArraySlice<UInt8>) -> Void = { _ in }) throws -> FileSniff {
        try sniff(file: InputFile(path: path), blockSize: blockSize, observe: observe)
    }

    /// Scans an open file from its start, handing every block to `observe` (for hashing in the same pass).
    /// - Throws: ``InputFileError`` when the file cannot be read.
    public static func sniff(file: InputFile, blockSize: Int = 256 * 1024,
                             observe: (ArraySlice<UInt8>) -> Void = { _ in }) throws -> FileSniff {
        var head: [UInt8] = []
        var carry: [UInt8] = []
        var tally = UTF8Validation.Tally()
        var total = 0
        var nulBytes = 0
        var controlBytes = 0
        var lineFeeds = 0
        var loneCarriageReturns = 0
        var previousWasCarriageReturn = false
        try file.forEachBlock(blockSize: blockSize) { slice in
            observe(slice)
            if head.count < 64 * 1024 { head.append(contentsOf: slice.prefix(64 * 1024 - head.count)) }
            slice.withUnsafeBytes { buffer in
                var index = 0
                let count = buffer.count
                while index < count {
                    // Eight bytes at a time while none is below 0x20 (the test is exact for "any byte below"): only
                    // line ends and control bytes are counted.
                    if !previousWasCarriageReturn, index + 8 <= count {
                        let word = buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                        if (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080 == 0 {
                            index += 8
                            continue
                        }
                    }
                    let byte = buffer[index]
                    index += 1
                    if previousWasCarriageReturn && byte != 0x0A { loneCarriageReturns += 1 }
                    previousWasCarriageReturn = byte == 0x0D
                    guard byte < 0x20 else { continue }
                    switch byte {
                    case 0: nulBytes += 1
                    case 0x0A: lineFeeds += 1
                    case 0x09, 0x0D: break
                    default: controlBytes += 1
                    }
                }
            }
            if carry.isEmpty {
                let carryStart = slice.withUnsafeBytes { UTF8Validation.scan($0, into: &tally, final: false) }
                carry = Array(slice[(slice.startIndex + carryStart)...])
            } else {
                var scanned = carry
                scanned.append(contentsOf: slice)
                let carryStart = scanned.withUnsafeBytes { UTF8Validation.scan($0, into: &tally, final: false) }
                carry = Array(scanned[carryStart...])
            }
            total += slice.count
        }
        if previousWasCarriageReturn { loneCarriageReturns += 1 }
        if !carry.isEmpty {
            _ = carry.withUnsafeBytes { UTF8Validation.scan($0, into: &tally, final: true) }
        }

        let encoding: TextEncoding
        if head.starts(with: [0xFF, 0xFE]) {
            encoding = .utf16LE
        } else if head.starts(with: [0xFE, 0xFF]) {
            encoding = .utf16BE
        } else if tally.invalid == 0 {
            encoding = head.starts(with: [0xEF, 0xBB, 0xBF]) ? .utf8WithBOM : .utf8
        } else if tally.multibyte >= 2 * tally.invalid {
            encoding = .mixedUTF8
        } else {
            encoding = .gb18030
        }

        var notText: String?
        let isUTF16 = encoding == .utf16LE || encoding == .utf16BE
        // More than 1 % NUL or control bytes is binary data; fewer is text damaged in places (a bad sector, a
        // transfer error), whose other lines are still readings.
        if !isUTF16, total > 0, nulBytes * 100 > total {
            notText = "binary data (\(nulBytes) NUL bytes): not a CSV text file"
        } else if !isUTF16, total > 0, (controlBytes + nulBytes) * 100 > total {
            notText = "binary data (\(controlBytes + nulBytes) control bytes): not a CSV text file"
        }
        // UTF-16 line ends are two bytes; such files are transcoded first and read with LF.
        let lineEnding: LineEnding = !isUTF16 && loneCarriageReturns > lineFeeds ? .carriageReturn : .lineFeed
        return FileSniff(encoding: encoding, delimiter: guessDelimiter(head, lineEnding: lineEnding),
                         lineEnding: lineEnding, hasLoneCarriageReturns: !isUTF16 && loneCarriageReturns > 0,
                         byteCount: total, notTextReason: notText,
                         hasControlBytes: !isUTF16 && nulBytes + controlBytes > 0)
    }

    /// The delimiter that occurs most (outside quotes) on the first lines, the header above all.
    static func guessDelimiter(_ head: [UInt8], lineEnding: LineEnding) -> CSVDelimiter {
        var counts: [CSVDelimiter: Int] = [:]
        var inQuotes = false
        var lines = 0
        for byte in head {
            if byte == 0x22 { inQuotes.toggle() }
            if inQuotes { continue }
            if byte == lineEnding.byte {
                lines += 1
                if lines >= 5 { break }
                continue
            }
            // The header line counts double: data lines may hold decimal commas, names may hold anything.
            let weight = lines == 0 ? 2 : 1
            for delimiter in CSVDelimiter.allCases where delimiter.byte == byte {
                counts[delimiter, default: 0] += weight
            }
        }
        // Ties go to the first in CSVDelimiter.allCases (comma, semicolon, tab): never to dictionary order.
        var best = CSVDelimiter.comma
        for delimiter in CSVDelimiter.allCases where counts[delimiter, default: 0] > counts[best, default: 0] {
            best = delimiter
        }
        return best
    }
}
