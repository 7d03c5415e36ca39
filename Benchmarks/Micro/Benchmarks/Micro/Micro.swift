// The hot paths of ingest and analysis, one benchmark each, on deterministic inputs of a district's size:
// the selection behind every median, a month's robust baseline, spikes and flat lines, the district reference of
// the neighbour checks, the Mann-Kendall test with Sen's slope on ten years of days, parsing a long dump, and the
// store taking a file's readings.
import Benchmark
import CSV
import Foundation
import Ingest
import RiverModel
import Statistics
import Store

/// xorshift64*: the same inputs on every machine and run.
struct Generator {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    mutating func uniform() -> Double {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Double((state &* 0x2545_F491_4F6C_DD1D) >> 11) / Double(1 << 53)
    }

    /// An hourly water-quality-like series: a level, a day cycle, noise, rounded to 0.01 (ties, as sensors give).
    mutating func hourly(_ count: Int, level: Double = 1.2) -> [Double] {
        (0..<count).map { hour in
            let value = level * (1 + 0.2 * sin(2 * .pi * Double(hour % 24) / 24)) + 0.1 * (uniform() - 0.5)
            return (value * 100).rounded() / 100
        }
    }
}

let start = Date(timeIntervalSince1970: 1_735_660_800)  // 2025-01-01 00:00 China time
func hours(_ count: Int) -> [Date] { (0..<count).map { start.addingTimeInterval(Double($0) * 3_600) } }

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(3)

    var generator = Generator()
    let week5 = generator.hourly(840)
    let month = generator.hourly(60 * 24)
    let monthTimes = hours(60 * 24)
    let district = (0..<33).map { station in (times: monthTimes, values: generator.hourly(60 * 24, level: 0.5 + Double(station) / 10)) }
    let tenYears: [Double?] = generator.hourly(3_650).map { $0 }

    Benchmark("median of 840 values (five weeks hourly: a baseline's spread)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(SensSlope.median(week5)) }
    }
    Benchmark("RobustBaseline.fit, 60 days hourly (one series of one month's analysis)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(RobustBaseline.fit(times: monthTimes, values: month, minimumScale: 0.02, pollution: .raises))
        }
    }
    Benchmark("SensorFaultDetector.detect, 60 days hourly") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(SensorFaultDetector.detect(times: monthTimes, values: month)) }
    }
    Benchmark("district reference, 33 stations × 60 days hourly") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(NeighbourFaultDetector.referenceSeries(for: district, scale: .ratio)) }
    }
    Benchmark("Mann-Kendall + Sen's slope, 3,650 daily values") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try MannKendall.original(tenYears))
            blackHole(SensSlope.estimate(tenYears))
        }
    }

    // A long UTF-8 dump of 100,000 readings, written once to a temporary file.
    // The sample district's network, ten of its points.
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let network = try! NetworkLoader.load(directory: repository.appendingPathComponent("data/network").path)
    let pointIDs = network.points.prefix(10).map(\.id)
    let dump = FileManager.default.temporaryDirectory.appendingPathComponent("rivertrace-micro-\(getpid()).csv").path
    var text = "point_id,time,parameter,value,unit\n"
    for hour in 0..<10_000 {
        let time = start.addingTimeInterval(Double(hour) * 3_600)
        let stamp = ISO8601DateFormatter().string(from: time)
        for point in pointIDs { text += "\(point),\(stamp),nh3n,\(String(format: "%.3f", generator.uniform() * 2)),mg/L\n" }
    }
    _ = FileManager.default.createFile(atPath: dump, contents: Data(text.utf8))
    let parser = ReadingsParser(network: network, options: IngestOptions())

    Benchmark("parse a long dump of 100,000 readings (libcsv, times, values, units)",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], maxIterations: 20)) { benchmark in
        for _ in benchmark.scaledIterations {
            let sniff = try FileSniffer.sniff(path: dump)
            var count = 0
            _ = try parser.parse(path: dump, sniff: sniff, onReading: { _ in count += 1 }, onRejection: { _ in })
            blackHole(count)
        }
    }
    Benchmark("store 100,000 readings of one file (in memory, one transaction)",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxIterations: 20)) { benchmark in
        let readings = (0..<100_000).map { index in
            Reading(pointID: pointIDs[index % 10], parameter: .ammoniaNitrogen,
                    time: start.addingTimeInterval(Double(index / 10) * 3_600), value: Double(index % 500) / 100, line: index + 2)
        }
        for _ in benchmark.scaledIterations {
            let store = try ReadingStore.inMemory()
            _ = try store.ingest(FileDescription(path: dump, byteCount: 0, sha256: "micro", encoding: "utf-8", delimiter: "comma")) { batch in
                for reading in readings { try batch.add(reading) }
                return FileParseResult(layout: "long", records: readings.count, notes: [])
            }
        }
    }
    Benchmark("store 100,000 readings of one file as ingest hands them over (chunks of 4,096 with series hints)",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxIterations: 20)) { benchmark in
        let readings = (0..<100_000).map { index in
            Reading(pointID: pointIDs[index % 10], parameter: .ammoniaNitrogen,
                    time: start.addingTimeInterval(Double(index / 10) * 3_600), value: Double(index % 500) / 100, line: index + 2)
        }
        let hints = (0..<100_000).map { $0 % 10 }
        for _ in benchmark.scaledIterations {
            let store = try ReadingStore.inMemory()
            _ = try store.ingest(FileDescription(path: dump, byteCount: 0, sha256: "micro", encoding: "utf-8", delimiter: "comma")) { batch in
                for start in stride(from: 0, to: readings.count, by: 4_096) {
                    let end = min(start + 4_096, readings.count)
                    try batch.add(Array(readings[start..<end]), seriesHints: Array(hints[start..<end]))
                }
                return FileParseResult(layout: "long", records: readings.count, notes: [])
            }
        }
    }
}
