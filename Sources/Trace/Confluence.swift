import Foundation
import RiverModel

/// Which branch of a confluence a plume came down.
extension TraceEngine {
    /// Below this share of the larger branch's, the smaller branch's load is not the plume's way down.
    static let separableShare = 0.5

    /// With stations on both branches above a confluence affected: the one whose load (relative rise × share of the
    /// flow below) explains most of the rise below it, and whether the other explains too much for the data to tell.
    /// Nil unless exactly one of the affected is on the receiving river and one on a tributary.
    func massBalance(_ affected: [TraceEvidence], below current: MonitoringPoint)
        -> (pointID: String, check: ConfluenceCheck)? {
        let loads = affected.compactMap { evidence -> (point: MonitoringPoint, load: Double)? in
            guard let point = network.point(evidence.pointID), let observed = evidence.observed,
                  let baseline = evidence.baseline else { return nil }
            let rise = abs(observed - baseline) / max(abs(baseline), 1e-9)
            return (point, rise * flows.flow(at: point) / max(flows.flow(at: current), 1e-9))
        }
        guard let receiving = loads.first(where: { $0.point.riverID == current.riverID }),
              let tributary = loads.filter({ $0.point.riverID != current.riverID }).max(by: { $0.load < $1.load }),
              let mouth = joiningRiver(of: tributary.point, into: current.riverID) else { return nil }
        let total = max(receiving.load + tributary.load, 1e-12)
        let (larger, smaller) = receiving.load >= tributary.load ? (receiving, tributary) : (tributary, receiving)
        let finding: ConfluenceCheck.Finding = smaller.load >= Self.separableShare * larger.load ? .inseparable
            : larger.point.id == tributary.point.id ? .tributary : .receivingRiver
        let check = ConfluenceCheck(tributaryID: mouth.id, receivingRiverID: current.riverID,
                                    confluenceKilometre: mouth.confluenceKilometres ?? 0, finding: finding,
                                    tributaryShare: (tributary.load / total * 1000).rounded() / 1000,
                                    receivingShare: (receiving.load / total * 1000).rounded() / 1000)
        return (larger.point.id, check)
    }

    /// The suspect stretch takes in the mouth of a tributary below that tributary's last station (or one without a
    /// station): the source may be on either branch, and nothing the stations saw can say which.
    func tributaryMouth(on stretch: SuspectSegment) -> ConfluenceCheck? {
        let tributary = network.tributaries(of: stretch.riverID).filter { river in
            guard let joins = river.confluenceKilometres else { return false }
            return joins >= stretch.fromKilometre && joins <= stretch.toKilometre
        }.max { ($0.confluenceKilometres ?? 0) < ($1.confluenceKilometres ?? 0) }
        guard let tributary else { return nil }
        return ConfluenceCheck(tributaryID: tributary.id, receivingRiverID: stretch.riverID,
                               confluenceKilometre: tributary.confluenceKilometres ?? 0, finding: .inseparable)
    }

    /// The tributary of `riverID` that `point`'s river is, or flows into.
    func joiningRiver(of point: MonitoringPoint, into riverID: String) -> River? {
        var river = network.river(point.riverID)
        for _ in 0..<max(8, network.rivers.count + 1) {
            guard let current = river else { return nil }
            if current.flowsInto == riverID { return current }
            river = current.flowsInto.flatMap(network.river)
        }
        return nil
    }
}
