import Foundation
import Store

/// The parts of a long period's readings between the thread that reads them from the store and the threads that
/// search their months: a part is handed over as soon as it is read and dropped when its last month is searched,
/// and the reader waits while ``limit`` parts are held, so memory holds that many parts however long the period.
final class PartsInFlight: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var spans: [Int: ReadingSpan] = [:]
    private var monthsLeft: [Int: Int] = [:]
    private var failed = false
    /// The most parts held at once.
    let limit: Int

    init(limit: Int = 2) {
        self.limit = limit
    }

    /// Whether a part may be read now without holding more than ``limit``.
    var hasRoom: Bool {
        condition.lock()
        defer { condition.unlock() }
        return spans.count < limit
    }

    /// Waits until a part may be read.
    func waitForRoom() {
        condition.lock()
        defer { condition.unlock() }
        while spans.count >= limit && !failed { condition.wait() }
    }

    /// Hands over part `index`, whose `months` months will each be searched once.
    func put(_ index: Int, _ span: ReadingSpan, months: Int) {
        condition.lock()
        spans[index] = span
        monthsLeft[index] = months
        condition.broadcast()
        condition.unlock()
    }

    /// The reading stopped (an error): no more parts will come, and waiting stops.
    func fail() {
        condition.lock()
        failed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Part `index` once it has been read; nil when the reading stopped before it.
    func take(_ index: Int) -> ReadingSpan? {
        condition.lock()
        defer { condition.unlock() }
        while spans[index] == nil && !failed { condition.wait() }
        return spans[index]
    }

    /// One month of part `index` has been searched; after its last, the part is dropped.
    func searched(_ index: Int) {
        condition.lock()
        monthsLeft[index, default: 1] -= 1
        if monthsLeft[index] == 0 {
            spans[index] = nil
            monthsLeft[index] = nil
            condition.broadcast()
        }
        condition.unlock()
    }
}
