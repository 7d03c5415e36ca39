import Foundation
import Store

/// Points' readings handed from the thread that reads the store to one that works on them as they arrive: the
/// evaluation of a period starts on the first points while the rest of the year is still being read.
final class ArrivingReadings: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var arrived: [String: ReadingSpan] = [:]
    private var finished = false

    /// Hands over one point's readings.
    func put(_ pointID: String, _ readings: ReadingSpan) {
        condition.lock()
        arrived[pointID] = readings
        condition.broadcast()
        condition.unlock()
    }

    /// No more points will come (the read ended, or failed): waiting stops.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The point's readings, once they have arrived; an empty span where the read ended without them.
    func take(_ pointID: String) -> ReadingSpan {
        condition.lock()
        defer { condition.unlock() }
        while arrived[pointID] == nil && !finished { condition.wait() }
        return arrived.removeValue(forKey: pointID) ?? ReadingSpan()
    }
}
