import Foundation
import RiverModel

/// How each rain falls on each point when rain is patchy (`simulate --patchy-rain`): a storm cell over part of the
/// district or rain of uneven strength over all of it, moving across the district, and a runoff that rises over 2–5 h,
/// drawn per point and rain (a stand-in for catchments of different sizes). Without it every point gets the same runoff at the same hour, so a
/// detector could take "many stations at once" for the whole sign of rain; districts' rain is not like that.
///
/// Drawn from a random stream of its own: the rain's times and intensities, the events and the noise stay those of the
/// run without it, and only the water under rain changes.
struct RainFootprint: Sendable {
    /// Per rain (in the plan's order), per point (in the simulator's point order): the share of the rain's intensity
    /// that reaches the point's water.
    let share: [[Double]]
    /// Per rain, per point: hours after the rain's start that it begins there.
    let delayHours: [[Double]]
    /// Per rain, per point: hours the runoff takes to rise to full while it rains (2 h with uniform rain).
    let riseHours: [[Double]]

    /// The chance that a rain is a storm cell over part of the district rather than rain over all of it.
    static let cellChance = 0.5
    /// A cell's radius, km (the runoff share falls as a Gaussian of the distance from its centre).
    static let cellRadiusKilometres = 1.5...5.0
    /// Rain over the whole district: each point's share.
    static let widespreadShare = 0.6...1.0
    /// How fast storms cross the district, km/h.
    static let stormSpeed = 10.0...40.0
    /// The runoff's rise time, hours.
    static let riseTime = 2.0...5.0

    /// - Parameters:
    ///   - points: the simulator's points, in its order; a point without coordinates (none surveyed on its river)
    ///     stands at the district's centre.
    ///   - rainCount: the plan's rains.
    static func draw(seed: UInt64, network: Network, points: [MonitoringPoint], rainCount: Int) -> RainFootprint {
        var random = RandomSource(seed: seed, stream: 17)
        let positions = points.map { network.position(of: $0) }
        let known = positions.compactMap { $0 }
        let latitude = known.isEmpty ? 0 : known.map(\.latitude).reduce(0, +) / Double(known.count)
        let longitude = known.isEmpty ? 0 : known.map(\.longitude).reduce(0, +) / Double(known.count)
        // Kilometres east and north of the centre: over a district the flat-earth error is metres.
        let place: [(x: Double, y: Double)] = positions.map { position in
            guard let position else { return (0, 0) }
            return ((position.longitude - longitude) * 111.32 * cos(latitude * .pi / 180),
                    (position.latitude - latitude) * 110.57)
        }
        var share: [[Double]] = [], delay: [[Double]] = [], rise: [[Double]] = []
        for _ in 0..<rainCount {
            if !place.isEmpty, random.uniform() < cellChance {
                let centre = random.pick(place)
                let radius = random.uniform(cellRadiusKilometres)
                let (cx, cy) = (centre.x + random.uniform(-2...2), centre.y + random.uniform(-2...2))
                share.append(place.map { point in
                    let squared = (point.x - cx) * (point.x - cx) + (point.y - cy) * (point.y - cy)
                    return exp(-squared / (2 * radius * radius))
                })
            } else {
                share.append(place.map { _ in random.uniform(widespreadShare) })
            }
            let heading = random.uniform(0...(2 * .pi)), speed = random.uniform(stormSpeed)
            let along = place.map { $0.x * cos(heading) + $0.y * sin(heading) }
            let first = along.min() ?? 0
            delay.append(along.map { ($0 - first) / speed })
            rise.append(place.map { _ in random.uniform(riseTime) })
        }
        return RainFootprint(share: share, delayHours: delay, riseHours: rise)
    }
}
