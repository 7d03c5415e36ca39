import CSV
import Foundation
import FuzzChecks
import Ingest
import Pipeline
import RiverModel
import Store

// libFuzzer target: each input is a readings dump. It goes through the path `rivertrace ingest` takes —
// FileSniffer.sniff, ReadingsParser.parse, then the whole IngestJob into a fresh in-memory store — and these
// must hold (a violation stops the fuzzer with the input saved):
//
//   1. nothing crashes, traps or hangs (libFuzzer's -timeout catches hangs);
//   2. the parse accounts for every reading it offers: candidates = accepted + rejected, and its callbacks saw
//      exactly those numbers;
//   3. the ingest accounts for every row: readings_read = accepted + duplicates + conflicts + quarantined, and
//      agrees with the parse (readings_read = candidates, quarantined = rejected);
//   4. the store holds what the report says: readings = accepted, conflict rows = conflicts, quarantine rows =
//      quarantined, and the ledger entry carries the same counts;
//   5. every line number is within the file's lines (0 only for a not_text file);
//   6. no value, detection limit or time is NaN or infinite in the readings handed on, no value in the store;
//   7. every quarantined raw copy keeps at most CSVLimits.standard.maxRawBytes of text (plus the marker);
//   8. the file report encodes to JSON (ingest --json), which fails on a non-finite number.

nonisolated(unsafe) let network = fuzzNetwork()
nonisolated(unsafe) let options = IngestOptions()
let limits = CSVLimits.standard

@_cdecl("LLVMFuzzerTestOneInput")
public func ingestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    FuzzFile.write(bytes)
    let facts = InputFacts(bytes)
    checkParse(facts: facts)
    checkIngest(facts: facts)
    return 0
}

/// The parse alone: what it hands on, and its summary.
func checkParse(facts: InputFacts) {
    let path = FuzzFile.path
    let sniff: FileSniff
    do {
        sniff = try FileSniffer.sniff(path: path)
    } catch {
        violation("FileSniffer.sniff threw on a regular file: \(error)")
    }
    let lines = facts.lineCount(sniff.lineEnding)
    var readings = 0
    var rejections = 0
    let summary: ParseSummary
    do {
        summary = try ReadingsParser(network: network, options: options).parse(path: path, sniff: sniff, onReading: { reading in
            readings += 1
            checkReading(reading, lines: lines)
        }, onRejection: { rejection in
            rejections += 1
            checkRejection(line: rejection.line, raw: rejection.raw, code: rejection.reason.code, lines: lines)
        })
    } catch {
        violation("ReadingsParser.parse threw on a regular file: \(error)")
    }
    require(summary.candidates == summary.accepted + summary.rejected,
            "parse: candidates \(summary.candidates) != accepted \(summary.accepted) + rejected \(summary.rejected)")
    require(summary.accepted == readings, "parse: summary.accepted \(summary.accepted) but \(readings) readings handed on")
    require(summary.rejected == rejections, "parse: summary.rejected \(summary.rejected) but \(rejections) rejections handed on")
    // Known finding `midline-row-end`: libcsv also ends rows at a lone CR inside an LF file's line.
    require(summary.records >= 0 && (summary.records <= lines || (facts.hasMidLineRowEnd(sniff.lineEnding) && isKnown("midline-row-end"))), "parse: \(summary.records) records in a file of \(lines) lines")
}

/// The whole ingest into a fresh store.
func checkIngest(facts: InputFacts) {
    let path = FuzzFile.path
    let store: ReadingStore
    let report: FileReport
    do {
        store = try ReadingStore.inMemory()
        report = try IngestJob(store: store, network: network, options: options).ingest(path: path)
    } catch {
        violation("IngestJob.ingest threw (a store error) on a regular file: \(error)")
    }
    require(report.status == .ingested, "ingest: status \(report.status) (\(report.problem ?? "no problem given")), expected ingested")
    let accounted = report.accepted + report.duplicates + report.conflicts + report.quarantined
    require(report.readingsRead == accounted,
            "ingest: readings_read \(report.readingsRead) != accepted \(report.accepted) + duplicates \(report.duplicates) + conflicts \(report.conflicts) + quarantined \(report.quarantined)")
    require(report.quarantinedByReason.values.reduce(0, +) == report.quarantined,
            "ingest: quarantined_by_reason \(report.quarantinedByReason) does not add up to \(report.quarantined)")
    // The parse of the same bytes (checkParse) must agree with the ingest's counts.
    let lines: Int
    do {
        let sniff = try FileSniffer.sniff(path: path)
        lines = facts.lineCount(sniff.lineEnding)
        require(sniff.byteCount == facts.byteCount, "sniff: byteCount \(sniff.byteCount) of a \(facts.byteCount)-byte file")
        require(report.bytes == sniff.byteCount, "ingest: bytes \(report.bytes) != file size \(sniff.byteCount)")
    } catch {
        violation("FileSniffer.sniff threw on the second look: \(error)")
    }

    do {
        let ledger = try store.ledger()
        require(ledger.count == 1, "store: \(ledger.count) ledger entries after one file")
        let entry = ledger[0]
        require(entry.accepted == report.accepted && entry.duplicates == report.duplicates
                && entry.conflicts == report.conflicts && entry.quarantined == report.quarantined,
                "store: ledger counts \(entry.accepted)/\(entry.duplicates)/\(entry.conflicts)/\(entry.quarantined) differ from the report's \(report.accepted)/\(report.duplicates)/\(report.conflicts)/\(report.quarantined)")
        require(entry.records <= lines || isKnown("midline-row-end"), "store: ledger records \(entry.records) > \(lines) lines")
        let storedReadings = try store.readingCount()
        let storedConflicts = try store.conflictCount()
        require(storedReadings == report.accepted,
                "store: \(storedReadings) readings stored, report says \(report.accepted) accepted")
        require(storedConflicts == report.conflicts,
                "store: \(storedConflicts) conflict rows, report says \(report.conflicts)")
        for stored in try store.readings(fromFileWithID: entry.id) {
            require(stored.line >= 1 && stored.line <= lines, "store: reading on line \(stored.line) of a \(lines)-line file")
            if let value = stored.value { require(value.isFinite, "store: non-finite value \(value.described) on line \(stored.line)") }
            require(stored.time.timeIntervalSince1970.isFinite, "store: non-finite time on line \(stored.line)")
        }
        var quarantineRows = 0
        try store.quarantinedRows { row in
            quarantineRows += 1
            checkRejection(line: row.line, raw: row.raw, code: row.reason, lines: lines)
        }
        require(quarantineRows == report.quarantined, "store: \(quarantineRows) quarantine rows, report says \(report.quarantined)")
        for conflict in try store.conflicts(limit: 1_000_000) {
            require(conflict.line >= 1 && conflict.line <= lines, "store: conflict on line \(conflict.line) of \(lines)")
            if let value = conflict.value { require(value.isFinite, "store: non-finite conflicting value") }
            if let value = conflict.storedValue { require(value.isFinite, "store: non-finite stored value in a conflict") }
        }
    } catch {
        violation("reading the store back failed: \(error)")
    }
    do {
        _ = try JSONEncoder().encode(report)
    } catch {
        violation("the file report does not encode to JSON: \(error)")
    }
}

func checkReading(_ reading: Reading, lines: Int) {
    require(reading.line >= 1 && reading.line <= lines, "parse: reading on line \(reading.line) of a \(lines)-line file")
    if let value = reading.value { require(value.isFinite, "parse: non-finite value \(value.described) on line \(reading.line)") }
    if let limit = reading.detectionLimit {
        require(limit.isFinite, "parse: non-finite detection limit \(limit.described) on line \(reading.line)")
    }
    let seconds = reading.time.timeIntervalSince1970
    // The store keeps whole seconds in an Int64: a time outside ±2^62 s would trap there.
    require(seconds.isFinite && abs(seconds) < 4.0e18, "parse: time \(seconds) on line \(reading.line)")
}

func checkRejection(line: Int, raw: String, code: String, lines: Int) {
    if code == "not_text" {
        require(line == 0 && raw.isEmpty, "not_text entry on line \(line) with \(raw.utf8.count) raw bytes")
    } else {
        require(line >= 1 && line <= lines, "quarantine: \(code) on line \(line) of a \(lines)-line file")
    }
    let kept = QuarantineRaw.keptText(raw)
    require(kept.utf8.count <= limits.maxRawBytes,
            "quarantine: \(code) on line \(line) keeps \(kept.utf8.count) bytes of text, more than \(limits.maxRawBytes)")
    require(raw.utf8.count <= limits.maxRawBytes + QuarantineRaw.longestMarker,
            "quarantine: raw copy of \(raw.utf8.count) bytes on line \(line)")
}
