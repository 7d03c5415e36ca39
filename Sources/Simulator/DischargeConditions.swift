import Foundation
import RiverModel

/// The conditions that make a discharge hard to trace, as a `--vary` run tags it in truth.json
/// (docs/simulator.md, "Conditions"): facts about the discharge and what happened around it, not how it was drawn.
struct DischargeConditions {
    let network: Network
    /// The points that write readings.
    let stations: Set<String>
    let rain: [RainEvent]
    let faults: [SensorFault]
    /// True velocity over rivers.csv velocity, per river id.
    let velocityFactors: [String: Double]

    /// Another event beginning this long after one ends follows it (`successive`).
    static let successionHours = 12.0
    /// A rain beginning this long after a release begins finds it under way (`before_rain`).
    static let beforeRainHours = 24.0
    /// A release beginning this long after a rain ends meets its falling runoff (`after_rain`; the runoff's 10 h
    /// time constant, three times over).
    static let afterRainHours = 30.0
    /// Another release from the same place beginning 12–36 h before or after this one makes it `recurring` (a night
    /// discharge repeated the next night).
    static let recurrenceHours = 12.0...36.0

    /// Every tag, in the order they are listed.
    static let all = ["unregistered", "overlapping", "successive", "before_rain", "during_rain", "after_rain",
                      "slow_river", "fast_river", "below_confluence", "fault_on_path", "recurring"]

    /// The tags of `discharge`; `others` are every discharge of the run (it may be among them).
    func of(_ discharge: Discharge, among others: [Discharge]) -> [String] {
        var tags: Set<String> = []
        if discharge.registeredSourceID == nil { tags.insert("unregistered") }

        // Overlapping and successive: releases at the same time, or one 0–12 h after the other, whose plumes meet
        // where a trace-back starts (one passes the first station the other reaches).
        let reached = discharge.impacts.filter { stations.contains($0.pointID) }
        let first = reached.min { ($0.travelHours, $0.pointID) < ($1.travelHours, $1.pointID) }
        for other in others where other.id != discharge.id && other.kind != .stormwaterOverflow {
            let otherFirst = other.impacts.filter { stations.contains($0.pointID) }
                .min { ($0.travelHours, $0.pointID) < ($1.travelHours, $1.pointID) }
            let meet = other.impacts.contains { $0.pointID == first?.pointID }
                || discharge.impacts.contains { $0.pointID == otherFirst?.pointID }
            guard meet else { continue }
            if other.start < discharge.end && discharge.start < other.end { tags.insert("overlapping") }
            let gap = max(other.start.timeIntervalSince(discharge.end), discharge.start.timeIntervalSince(other.end))
            if gap >= 0 && gap <= Self.successionHours * 3_600 { tags.insert("successive") }
        }
        for other in others where other.id != discharge.id && other.kind != .stormwaterOverflow
            && other.riverID == discharge.riverID && other.kilometre == discharge.kilometre {
            if Self.recurrenceHours.contains(abs(other.start.timeIntervalSince(discharge.start)) / 3_600) {
                tags.insert("recurring")
            }
        }

        let duringRain = rain.contains { $0.start <= discharge.start && discharge.start <= $0.end }
        if duringRain { tags.insert("during_rain") }
        if !duringRain, rain.contains(where: {
            let lead = $0.start.timeIntervalSince(discharge.start)
            return lead > 0 && lead <= Self.beforeRainHours * 3_600
        }) { tags.insert("before_rain") }
        if !duringRain, rain.contains(where: {
            let lag = discharge.start.timeIntervalSince($0.end)
            return lag > 0 && lag <= Self.afterRainHours * 3_600
        }) { tags.insert("after_rain") }

        let factor = velocityFactors[discharge.riverID] ?? 1
        if factor < 0.8 { tags.insert("slow_river") }
        if factor > 1.2 { tags.insert("fast_river") }

        if let first, let point = network.point(first.pointID),
           network.tributaries(of: point.riverID).contains(where: { isFirstStation(point, below: $0) }) {
            tags.insert("below_confluence")
        }

        for impact in reached {
            let (from, until) = Self.window(of: impact, in: discharge)
            if faults.contains(where: { $0.pointID == impact.pointID && $0.start <= until && from <= $0.end }) {
                tags.insert("fault_on_path")
                break
            }
        }
        return Self.all.filter(tags.contains)
    }

    /// Whether `point` is the first station at or below the mouth of `tributary` on the river it joins.
    func isFirstStation(_ point: MonitoringPoint, below tributary: River) -> Bool {
        guard stations.contains(point.id), tributary.flowsInto == point.riverID,
              let mouth = tributary.confluenceKilometres, mouth <= point.kilometre else { return false }
        return !network.points(on: point.riverID).contains {
            stations.contains($0.id) && $0.id != point.id && $0.kilometre >= mouth && $0.kilometre < point.kilometre
        }
    }

    /// When a plume is at a point: truth's window under `--vary`, else plug flow ± 4 σ (σ = 0.3 + 0.25 √travel).
    static func window(of impact: Impact, in discharge: Discharge) -> (from: Date, until: Date) {
        if let from = impact.windowStart, let until = impact.windowEnd { return (from, until) }
        let sigma = WaterQualityModel.spreadHours(travelHours: impact.travelHours)
        return (discharge.start.addingTimeInterval((impact.travelHours - 4 * sigma) * 3_600),
                discharge.end.addingTimeInterval((impact.travelHours + 4 * sigma) * 3_600))
    }

    /// A river and its neighbours: the river it flows into, the rivers that join it, and the other rivers that
    /// join the one it flows into (ids, sorted).
    static func neighbourhood(of riverID: String, in network: Network) -> [String] {
        var ids: Set<String> = [riverID]
        if let into = network.river(riverID)?.flowsInto {
            ids.insert(into)
            for sibling in network.tributaries(of: into) { ids.insert(sibling.id) }
        }
        for tributary in network.tributaries(of: riverID) { ids.insert(tributary.id) }
        return ids.sorted()
    }
}
