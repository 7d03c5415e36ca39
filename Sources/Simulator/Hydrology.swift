import RiverModel

/// Flows and travel along the river tree: the physical skeleton of the simulator.
///
/// Each river gets a headwater flow proportional to its length and a lateral inflow per km; at a confluence
/// the tributary's outlet flow adds to the receiving river (mass balance: flows add, loads add).
public struct Hydrology: Sendable {
    public let network: Network
    /// Headwater flow, m³/s, per river id.
    public let headwaterFlow: [String: Double]
    /// Lateral inflow, m³/s per km, per river id.
    public let lateralFlowPerKilometre: [String: Double]
    private let outletFlows: [String: Double]
    /// The network with the velocities the water really has (rivers.csv × the run's velocity factors).
    private let travelNetwork: Network

    /// - Parameters:
    ///   - flowScale: multiplies every flow (wet or dry district).
    ///   - velocityFactors: true velocity over rivers.csv `velocity_m_s`, per river id (`--vary`); a river not
    ///     named runs at its configured velocity.
    public init(network: Network, flowScale: Double = 1, velocityFactors: [String: Double] = [:]) {
        self.network = network
        if velocityFactors.isEmpty {
            travelNetwork = network
        } else {
            let rivers = network.rivers.map { river in
                var scaled = river
                scaled.velocityMetresPerSecond *= velocityFactors[river.id] ?? 1
                return scaled
            }
            travelNetwork = Network(rivers: rivers, points: network.points, sources: network.sources)
        }
        var head: [String: Double] = [:]
        var lateral: [String: Double] = [:]
        for river in network.rivers {
            head[river.id] = 0.05 * river.lengthKilometres * flowScale
            lateral[river.id] = 0.02 * flowScale
        }
        headwaterFlow = head
        lateralFlowPerKilometre = lateral
        var outlets: [String: Double] = [:]
        // Tributaries before the rivers they join: the reverse of tree order.
        for river in network.riversInTreeOrder.reversed() {
            var flow = head[river.id]! + lateral[river.id]! * river.lengthKilometres
            for tributary in network.tributaries(of: river.id) { flow += outlets[tributary.id] ?? 0 }
            outlets[river.id] = flow
        }
        outletFlows = outlets
    }

    /// Flow at `kilometre` of a river, m³/s: headwater + lateral inflow + every tributary joined above.
    public func flow(river riverID: String, kilometre: Double) -> Double {
        var flow = headwaterFlow[riverID, default: 0] + lateralFlowPerKilometre[riverID, default: 0] * kilometre
        for tributary in network.tributaries(of: riverID) where (tributary.confluenceKilometres ?? 0) <= kilometre {
            flow += outletFlows[tributary.id] ?? 0
        }
        return flow
    }

    /// Flow at a monitoring point, m³/s.
    public func flow(at point: MonitoringPoint) -> Double {
        flow(river: point.riverID, kilometre: point.kilometre)
    }

    /// The way from a place on a river down to a point: distance and travel time at base flow (at the true
    /// velocities under `--vary`); nil when the point is not downstream of the place.
    public func path(fromRiver riverID: String, kilometre: Double, to point: MonitoringPoint)
        -> (kilometres: Double, hours: Double)? {
        travelNetwork.downstreamPath(fromRiver: riverID, kilometre: kilometre, to: point).map { ($0.kilometres, $0.hours) }
    }
}
