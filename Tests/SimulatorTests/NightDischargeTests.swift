import Foundation
import RiverModel
@testable import Simulator
import TestSupport
import Testing

@Suite("night-time discharges")
struct NightDischargeTests {
    @Test("night discharges release 2–4 h between 21:00 and 03:00 local, night after night from one place, and leave the other events as they were")
    func nightsAtNightFromOnePlace() throws {
        let nights = try dischargesWithAndWithout(\.nightDischargesPerMonth, perMonth: 2, prefix: "N", days: 60, seed: 52)
        // 60 days at 2 a month: four episodes of 4–14 nights, each night kept with odds 0.8.
        let episodes = Dictionary(grouping: nights) { $0.id.split(separator: "-")[0] }
        #expect(episodes.count >= 3 && episodes.count <= 4)
        #expect(nights.count >= 8)
        let local = 8 * 3_600  // the run's time zone, Asia/Shanghai (no summer time)
        for (episode, releases) in episodes {
            #expect(Set(releases.map { "\($0.riverID) \($0.kilometre) \($0.flowM3PerSecond)" }).count == 1,
                    "\(episode): one outfall, one flow")
            var days: [Int] = []
            for release in releases {
                let seconds = Int(release.start.timeIntervalSince1970) + local
                let clock = (seconds % 86_400) / 3_600
                #expect(clock >= 21 || clock <= 3, "\(release.id) begins at \(clock):00 local")
                let hours = release.end.timeIntervalSince(release.start) / 3_600
                #expect((2...4).contains(hours), "\(release.id) lasts \(hours) h")
                #expect(release.kind == .industrialPulse)
                // The night a release belongs to: the local day of its evening.
                days.append((seconds - 12 * 3_600) / 86_400)
            }
            #expect(days == days.sorted() && Set(days).count == days.count, "\(episode): one release a night")
            #expect(days.last! - days.first! <= 13, "\(episode): within 14 nights")
        }
        let recurring = nights.filter { $0.conditions?.contains("recurring") == true }
        #expect(recurring.count >= nights.count / 2, "most nights have a night before or after")
    }
}
