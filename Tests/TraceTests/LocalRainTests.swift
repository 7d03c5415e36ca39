import Foundation
import RiverModel
import Statistics
import Testing
@testable import Trace

/// Main river M (30 km, 0.5 m/s) with eight stations, and six tributaries A–F (5 km each, joining M at km 4, 8, …, 24)
/// with two stations each (km 1 and 4): twenty stations. A storm cell wets five of them — a quarter, below the 30 % from
/// which a pattern is district-wide whatever it shows.
private let tributaries = ["A", "B", "C", "D", "E", "F"]
private let network = Network(
    rivers: [River("M", name: "Main", lengthKilometres: 30, velocityMetresPerSecond: 0.5, targetClass: .iii)]
        + tributaries.enumerated().map { index, id in
            River(id, name: "Tributary \(id)", flowsInto: "M", confluenceKilometres: Double(4 * (index + 1)),
                  lengthKilometres: 5, velocityMetresPerSecond: 0.5, targetClass: .iii)
        },
    points: (1...8).map { MonitoringPoint("M\($0)", riverID: "M", kilometre: Double(3 * $0) + 0.5, kind: .automatic) }
        + tributaries.flatMap { id in
            [MonitoringPoint("\(id)1", riverID: id, kilometre: 1, kind: .automatic),
             MonitoringPoint("\(id)2", riverID: id, kilometre: 4, kind: .automatic)]
        },
    sources: [])

private let start = Date(timeIntervalSince1970: 1_782_864_000)
private let hours = 720

/// Thirty days hourly at `level` with a small deterministic wobble, plus `increment` over hours 400–411.
private func series(level: Double, wobble: Double, increment: Double) -> BaselineSeries {
    let values = (0..<hours).map { (hour: Int) -> Double in
        let change: Double = (400..<412).contains(hour) ? increment : 0
        return level + wobble * sin(Double(hour) * 2.3) * cos(Double(hour) * 0.7) + change
    }
    let times = (0..<hours).map { start.addingTimeInterval(Double($0) * 3_600) }
    return RobustBaseline.fit(times: times, values: values, secondsFromGMT: 0, minimumScale: 0.01 * level)
}

/// Turbidity (NTU, level 10), conductivity (µS/cm, 600) and CODMn (mg/L, 5) at every station; at `wet` stations the
/// given changes from hour 400 for 12 h.
private func stations(wet: Set<String>, turbidity: Double, conductivity: Double, codmn: Double)
    -> [String: [Parameter: BaselineSeries]] {
    Dictionary(uniqueKeysWithValues: network.points.map { point in
        let rained = wet.contains(point.id)
        return (point.id, [.turbidity: series(level: 10, wobble: 0.3, increment: rained ? turbidity : 0),
                           .conductivity: series(level: 600, wobble: 12, increment: rained ? conductivity : 0),
                           .permanganateIndex: series(level: 5, wobble: 0.1, increment: rained ? codmn : 0)])
    })
}

private func events(_ data: [String: [Parameter: BaselineSeries]]) -> [AnomalyEvent] {
    data.keys.sorted().flatMap { AnomalyEvent.events(pointID: $0, baselines: data[$0]!, interval: 3_600) }
}

/// The trace of A2's event among every station's events.
private func traceAtA2(_ data: [String: [Parameter: BaselineSeries]]) throws -> TraceResult {
    let found = events(data)
    let event = try #require(found.first { $0.pointID == "A2" })
    return TraceEngine(network: network, baselines: data, events: found).trace(event)
}

@Suite("Rain over part of the district")
struct LocalRainTests {
    /// The cell: both stations of A and B and the upper one of C.
    let cell: Set<String> = ["A1", "A2", "B1", "B2", "C1"]

    @Test("a storm cell over 5 of 20 stations (turbidity ×5, conductivity diluted, CODMn up at once) is local rain, not traced")
    func stormCell() throws {
        let data = stations(wet: cell, turbidity: 40, conductivity: -60, codmn: 0.8)
        let found = events(data)
        #expect(Set(found.map(\.pointID)) == cell, "an event at each wet station and nowhere else")
        let event = try #require(found.first { $0.pointID == "A2" })
        let trace = TraceEngine(network: network, baselines: data, events: found).trace(event)
        #expect(trace.verdict == .districtWide)
        // A1 is 1.7 h above A2 at 0.5 m/s: too close to tell a lag; B1, B2 and C1 on other branches have none.
        #expect(trace.districtPattern?.withoutLag == 3)
        #expect(trace.districtPattern?.stationsWithEvents == 5)
        #expect(trace.districtPattern?.local == true)
        #expect(trace.note?.hasSuffix("turbidity up at most of them: local rain") == true)
    }

    @Test("five stations at once that rise in conductivity and CODMn but not turbidity are no storm cell: each is traced")
    func notRunoff() throws {
        let trace = try traceAtA2(stations(wet: cell, turbidity: 0, conductivity: 150, codmn: 1.5))
        #expect(trace.districtPattern == nil)
        #expect(trace.verdict == .source || trace.verdict == .uncertain)
    }

    @Test("a plume at A2 (conductivity and CODMn, clear water) while a cell muddies four other stations is traced, not taken for the rain")
    func plumeBesideTheCell() throws {
        var data = stations(wet: ["A1", "B1", "B2", "C1"], turbidity: 40, conductivity: -60, codmn: 0.8)
        data["A2"] = [.turbidity: series(level: 10, wobble: 0.3, increment: 0),
                      .conductivity: series(level: 600, wobble: 12, increment: 150),
                      .permanganateIndex: series(level: 5, wobble: 0.1, increment: 1.5)]
        let trace = try traceAtA2(data)
        #expect(trace.districtPattern == nil)
        #expect(trace.verdict == .source || trace.verdict == .uncertain)
    }

    @Test("the same cell over three stations only (two others without lag, B1 and C1) is too small to call rain: traced")
    func tooFewStations() throws {
        let trace = try traceAtA2(stations(wet: ["A2", "B1", "C1"], turbidity: 40, conductivity: -60, codmn: 0.8))
        #expect(trace.districtPattern == nil)
        #expect(trace.verdict != .districtWide)
    }
}
