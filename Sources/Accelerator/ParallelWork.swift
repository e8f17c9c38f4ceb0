import Dispatch
import Foundation

/// Runs `count` independent work units on `threads` workers, each unit taken from a shared
/// counter. `body` must write its result to a slot owned by its unit, so the outcome does
/// not depend on which worker ran which unit.
func runInParallel(count: Int, threads: Int, _ body: @escaping (Int) -> Void) {
    let workers = max(1, min(threads, count))
    if workers == 1 {
        for unit in 0..<count { body(unit) }
        return
    }
    let next = UnitCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let unit = next.take(below: count) {
            body(unit)
        }
    }
}

private final class UnitCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// A lock-protected value shared by workers.
final class Shared<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func update<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
