import Foundation
import Synchronization

/// Work started on another thread while the caller goes on with its own: reading the trends or the comparisons while
/// the period is analysed. Not a `concurrentPerform` of the two: one nested inside another runs its iterations one by
/// one, and the analysis's months would lose the second core.
final class Background<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let group = DispatchGroup()

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async(group: group) {
            let outcome = Result { try work() }
            self.result.withLock { $0 = outcome }
        }
    }

    /// Waits for the work to finish.
    func wait() {
        group.wait()
    }

    /// The work's value once it has finished; rethrows its error.
    func value() throws -> Value {
        group.wait()
        return try result.withLock { $0! }.get()
    }
}
