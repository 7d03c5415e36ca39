import Foundation

/// Time as the water counts it when rain speeds the rivers up: one flow hour is the distance water covers in an
/// hour at base flow.
///
/// The flow follows the district's runoff (with `--patchy-rain` too, where the water's runoff is the point's own), so
/// the speed-up s(t) = (1 + a·r(t))^b is the same on every river at a
/// given hour and a plume's travel is a fixed number of flow hours H (distance over the true base velocities). The
/// flow clock G(t) = ∫₀ᵗ s(u) du turns real hours into flow hours: a parcel released at real hour τ reaches a point H
/// flow hours away at G⁻¹(G(τ) + H). Plug flow with spreading is then the model without variation, read on G.
struct FlowClock: Sendable {
    /// Resolution of the tabulated clock, hours (runoff rises over 2 h: a quarter-hour grid follows it).
    static let resolution = 0.25
    /// G at every multiple of ``resolution`` from 0; beyond the table the water runs at base flow (s = 1).
    private let table: [Double]

    /// Tabulates G over `hours` (and two weeks after, for plumes still travelling when the span ends).
    init(rain: [(start: Double, end: Double, intensity: Double)], hours: Double, variation: SimulationVariation) {
        let cells = Int(((hours + 336) / Self.resolution).rounded(.up))
        var table = [Double](repeating: 0, count: cells + 1)
        for cell in 0..<cells {
            // Midpoint rule: the runoff factor is continuous, its kinks sit on rain starts and ends.
            let middle = (Double(cell) + 0.5) * Self.resolution
            let speed = variation.speedFactor(runoff: WaterQualityModel.runoff(at: middle, rain: rain))
            table[cell + 1] = table[cell] + speed * Self.resolution
        }
        self.table = table
    }

    /// Flow hours passed at real hour `t` (negative hours run at base flow).
    func flowHour(_ t: Double) -> Double {
        guard t > 0 else { return t }
        let position = t / Self.resolution
        let cell = Int(position)
        guard cell < table.count - 1 else { return table[table.count - 1] + (t - Double(table.count - 1) * Self.resolution) }
        let fraction = position - Double(cell)
        return table[cell] + fraction * (table[cell + 1] - table[cell])
    }

    /// The real hour at which `g` flow hours have passed: the inverse of ``flowHour(_:)``.
    func realHour(_ g: Double) -> Double {
        guard g > 0 else { return g }
        let last = table.count - 1
        guard g < table[last] else { return Double(last) * Self.resolution + (g - table[last]) }
        // The table rises strictly (speed ≥ 1): the first entry above g closes the cell that holds it.
        var low = 0, high = last
        while high - low > 1 {
            let middle = (low + high) / 2
            if table[middle] <= g { low = middle } else { high = middle }
        }
        let fraction = (g - table[low]) / (table[high] - table[low])
        return (Double(low) + fraction) * Self.resolution
    }

    /// Real hours a parcel released at real hour `t` takes to travel `flowHours`.
    func travelHours(from t: Double, flowHours: Double) -> Double {
        realHour(flowHour(t) + flowHours) - t
    }
}
