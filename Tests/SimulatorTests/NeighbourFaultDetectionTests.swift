import Foundation
import Ingest
import Pipeline
import RiverModel
@testable import Simulator
import Standards
import Store
import TestSupport
import Testing

/// A demo district with six faults a month (three months: six of each kind), for the detectors that compare a
/// station with the others: its truth and the faults one analysis of the whole run finds.
private let denseRun: (truth: GroundTruth, faults: Result<[FaultFinding], any Error>) = {
    var dense = settings(days: 92, seed: 5)
    dense.faultsPerMonth = 12
    let directory = try! scratchPath("dumps", label: "dense")
    let truth = try! DistrictSimulator(network: sampleNetwork, settings: dense).run(into: directory)
    let store = try! ReadingStore.inMemory()
    _ = try! IngestJob(store: store, network: sampleNetwork, options: IngestOptions()).run(paths: [directory])
    return (truth, Result {
        try AnalysisJob(store: store, network: sampleNetwork, timeZone: .chinaStandard)
            .run(period: EvaluationPeriod(label: "dense", start: truth.start, end: truth.end)).faults
    })
}()

@Suite("drifts, clock offsets and rate-of-change against truth.json")
struct NeighbourFaultDetectionTests {
    @Test("every drift and clock offset injected in the demo run is found at its station, with its start")
    func injectedFoundInDemo() throws {
        try expectInjectedFound(demoRun.truth, demoAnalysis.get().faults, atLeast: 2)
    }

    @Test("every drift and clock offset injected in the dense run (six of each a month) is found, with its start",
          .tags(.slow), .enabled(if: slowTestsEnabled))
    func injectedFoundInDense() throws {
        try expectInjectedFound(denseRun.truth, denseRun.faults.get(), atLeast: 10)
    }

    @Test("pollution, rain and trends in the demo run raise no drift, clock offset or rate-of-change finding")
    func noFalseAlarmsInDemo() throws {
        try expectNoFalseAlarms(demoRun.truth, demoAnalysis.get().faults)
    }

    @Test("the dense run's drift, clock offset and rate-of-change findings all match an injected fault",
          .tags(.slow), .enabled(if: slowTestsEnabled))
    func noFalseAlarmsInDense() throws {
        try expectNoFalseAlarms(denseRun.truth, denseRun.faults.get())
    }

    func overlaps(_ finding: FaultFinding, _ fault: SensorFault) -> Bool {
        finding.pointID == fault.pointID
            && fault.affects(finding.parameter)
            && finding.start <= fault.end.addingTimeInterval(3_600) && finding.end >= fault.start.addingTimeInterval(-3_600)
    }

    /// Every injected drift and clock offset is among the findings, with its start; at least `minimum` checked.
    func expectInjectedFound(_ truth: GroundTruth, _ found: [FaultFinding], atLeast minimum: Int) {
        var checked = 0
        for fault in truth.faults where (fault.kind == .drift || fault.kind == .clockOffset) {
            let kind: FaultKind = fault.kind == .drift ? .drift : .clockOffset
            let matches = found.filter { $0.kind == kind && overlaps($0, fault) }
            #expect(!matches.isEmpty, "\(fault.id) \(fault.kind) at \(fault.pointID) \(fault.parameters) not found")
            // Another fault at the station within two days (seed 5 puts two turbidity drifts and a stuck sensor
            // together at LHT-04) moves the start: found is all that is asked of those.
            let crowded = truth.faults.contains { other in
                other.id != fault.id && other.pointID == fault.pointID
                    && other.start < fault.end.addingTimeInterval(48 * 3600) && other.end > fault.start.addingTimeInterval(-48 * 3600)
            }
            if crowded { checked += 1; continue }
            if fault.kind == .clockOffset {
                // The skipped label is the hour the shift starts.
                #expect(matches.contains { $0.start == fault.start }, "\(fault.id): \(matches.map(\.start))")
            } else {
                #expect(matches.contains { abs($0.start.timeIntervalSince(fault.start)) <= 24 * 3600 },
                        "\(fault.id): \(matches.map(\.start)) for \(fault.start)")
            }
            checked += 1
        }
        #expect(checked >= minimum)
    }

    /// Every drift, clock offset and rate-of-change finding overlaps a fault the simulator injected.
    func expectNoFalseAlarms(_ truth: GroundTruth, _ found: [FaultFinding]) {
        for finding in found where [.drift, .clockOffset, .rateOfChange].contains(finding.kind) {
            #expect(truth.faults.contains { overlaps(finding, $0) },
                    "\(finding.kind) at \(finding.pointID) \(finding.parameter?.code ?? "*") \(finding.start)…\(finding.end) matches no injected fault")
        }
    }
}
