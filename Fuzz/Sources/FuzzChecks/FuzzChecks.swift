import CSV
import Foundation
import Glibc
import Ingest
import RiverModel

/// Stops the fuzzer on a broken invariant: the message names the invariant, libFuzzer saves the input.
public func violation(_ invariant: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    printError("\n=== INVARIANT VIOLATED: \(invariant)")
    fatalError(invariant, file: file, line: line)
}

/// Findings already reported, by name, that a run should step over so that it can look for new ones:
/// `RIVERTRACE_FUZZ_KNOWN=midline-row-end,record-limit-boundary` (docs/robustness.md lists them). Empty by default:
/// the regression inputs under Fuzz/regressions/ fail until the product is fixed.
public let knownFindings: Set<String> = Set(
    (ProcessInfo.processInfo.environment["RIVERTRACE_FUZZ_KNOWN"] ?? "").split(separator: ",").map(String.init))

/// True when the finding `name` is to be stepped over (see ``knownFindings``).
public func isKnown(_ name: String) -> Bool { knownFindings.contains(name) }

/// Writes a line to standard error.
public func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Asserts `condition`; on failure stops with `invariant` (built lazily, it may describe the input).
@inline(__always)
public func require(_ condition: Bool, _ invariant: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line) {
    if !condition { violation(invariant(), file: file, line: line) }
}

/// The one file each input is written to before it goes through the real path (sniffing and parsing read files).
///
/// The name holds a year and month (`…_202610.csv`), as exports from the national platform do, so rows with
/// `10-08 14:00` times get a year instead of all being `missing_year`.
public enum FuzzFile {
    public static let folder: String = {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let folder = "\(base)/rivertrace-fuzz-\(getpid())"
        mkdir(folder, 0o700)
        // A fuzz run makes one folder per process: leave nothing behind in TMPDIR when it exits normally.
        atexit {
            unlink(FuzzFile.path)
            rmdir(FuzzFile.folder)
        }
        return folder
    }()

    public static let path = folder + "/dump_202610.csv"

    /// Writes the input's bytes to ``path`` (replacing what was there).
    public static func write(_ bytes: UnsafeRawBufferPointer) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        require(descriptor >= 0, "cannot write the fuzz input file \(path): errno \(errno)")
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            require(count > 0, "short write of the fuzz input file: errno \(errno)")
            written += count
        }
    }
}

/// Facts about an input that bound what the reader may report.
public struct InputFacts {
    /// Bytes equal to LF and to CR.
    public let lineFeeds: Int
    public let carriageReturns: Int
    /// The input's size.
    public let byteCount: Int

    /// CRs not followed by LF.
    public let loneCarriageReturns: Int

    public init(_ bytes: UnsafeRawBufferPointer) {
        byteCount = bytes.count
        var lf = 0
        var cr = 0
        var lone = 0
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A { lf += 1 } else if byte == 0x0D {
                cr += 1
                if index + 1 == bytes.count || bytes[index + 1] != 0x0A { lone += 1 }
            }
        }
        lineFeeds = lf
        carriageReturns = cr
        loneCarriageReturns = lone
    }

    /// True when libcsv may end a row inside a line: it ends rows at CR and at LF, the reader counts lines at one
    /// of them only (a lone CR in an LF file, an LF in a CR-only file).
    public func hasMidLineRowEnd(_ ending: LineEnding) -> Bool {
        ending == .lineFeed ? loneCarriageReturns > 0 : lineFeeds > 0
    }

    /// The most lines the file can have: one more than its LFs and lone CRs. It holds whether a lone CR in an LF
    /// file ends a line or not, and for CR-only files (each CR of a CRLF is matched by its LF); after transcoding,
    /// a line end always comes from such a byte (UTF-16 `0A 00`, `0D 00`; GB18030 never uses 0x0A or 0x0D in a
    /// multi-byte character).
    public func lineCount(_ ending: LineEnding) -> Int {
        lineFeeds + loneCarriageReturns + 1
    }
}

/// The part of a quarantined raw copy before the truncation marker, and the marker.
public enum QuarantineRaw {
    /// What ``CSVRecord/quarantineText`` appends to a truncated row (Sources/Ingest/ReadingsParser.swift).
    public static let markerStart = " … [row truncated: "

    /// The longest marker: two counts of at most 19 digits each and the words around them.
    public static let longestMarker = (markerStart + "9223372036854775807 bytes in all, the first 9223372036854775807 kept]").utf8.count

    /// The row text a raw copy keeps (before the marker, when there is one).
    public static func keptText(_ raw: String) -> Substring {
        if let range = raw.range(of: markerStart, options: .backwards) { return raw[..<range.lowerBound] }
        return raw[...]
    }
}

/// Loads the network the fuzz inputs refer to: `data/network` of the checkout (the sample district, whose point
/// ids the seed corpus uses), or the folder `RIVERTRACE_FUZZ_NETWORK` names.
public func fuzzNetwork(sourceFile: String = #filePath) -> Network {
    let checkout = URL(fileURLWithPath: sourceFile)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let folder = ProcessInfo.processInfo.environment["RIVERTRACE_FUZZ_NETWORK"]
        ?? checkout.appendingPathComponent("data/network").path
    do {
        return try NetworkLoader.load(directory: folder)
    } catch {
        printError("cannot load the fuzzing network from \(folder): \(error)")
        exit(2)
    }
}

extension Double {
    /// Describes a value for a message.
    public var described: String { "\(self) (bits \(String(bitPattern, radix: 16)))" }
}
