/// Distance and travel time along the river tree, from a place on a river down to a point.
public struct FlowPath: Sendable, Equatable {
    public var kilometres: Double
    /// Distance over each river's typical velocity (`rivers.csv` `velocity_m_s`).
    public var hours: Double
}

/// One river's part of a flow path.
public struct FlowPiece: Sendable, Equatable {
    public var riverID: String
    public var kilometres: Double
    /// Distance over the river's typical velocity.
    public var hours: Double
}

extension Network {
    /// The way from `kilometre` of river `riverID` down to `point`, following each river to its confluence;
    /// nil when the point is not downstream of that place.
    public func downstreamPath(fromRiver riverID: String, kilometre: Double, to point: MonitoringPoint) -> FlowPath? {
        downstreamPieces(fromRiver: riverID, kilometre: kilometre, to: point).map { pieces in
            pieces.reduce(FlowPath(kilometres: 0, hours: 0)) {
                FlowPath(kilometres: $0.kilometres + $1.kilometres, hours: $0.hours + $1.hours)
            }
        }
    }

    /// The same way river by river: the distance and travel time on each river it crosses, upstream first.
    public func downstreamPieces(fromRiver riverID: String, kilometre: Double, to point: MonitoringPoint) -> [FlowPiece]? {
        var river = riverID
        var km = kilometre
        var pieces: [FlowPiece] = []
        // The loader rejects cycles; the bound only keeps a hand-built network from looping.
        for _ in 0..<max(8, rivers.count + 1) {
            guard let current = self.river(river) else { return nil }
            let speed = max(current.velocityMetresPerSecond, 0.001)
            let end = river == point.riverID ? point.kilometre : current.lengthKilometres
            if river == point.riverID, point.kilometre < km { return nil }
            pieces.append(FlowPiece(riverID: river, kilometres: end - km, hours: (end - km) * 1_000 / speed / 3_600))
            if river == point.riverID { return pieces }
            guard let downstream = current.flowsInto, let joinAt = current.confluenceKilometres else { return nil }
            river = downstream
            km = joinAt
        }
        return nil
    }

    /// The way from point `upstream` down to point `downstream` (nil when `downstream` is not below it).
    public func downstreamPath(from upstream: MonitoringPoint, to downstream: MonitoringPoint) -> FlowPath? {
        downstreamPath(fromRiver: upstream.riverID, kilometre: upstream.kilometre, to: downstream)
    }
}
