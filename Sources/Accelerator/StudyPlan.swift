/// One part of a study split over N machines: shard `index` of `count`, 1-based.
public struct Shard: Codable, Hashable, Sendable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (1...count).contains(index), "shard \(index)/\(count) is not valid")
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }
}

/// The work units of a study, (grid point, trial), numbered in grid order with trials
/// inside points. Unit k belongs to shard (k mod N) + 1, so every shard gets a share of
/// every kind of point and the split does not depend on anything but N.
public struct StudyPlan: Sendable {
    public let points: [GridPoint]
    public let trialCounts: [Int]

    public init(points: [GridPoint], study: MonteCarloStudy) {
        self.points = points
        trialCounts = points.map(study.trialCount(for:))
    }

    public init(trialCounts: [Int], points: [GridPoint]) {
        precondition(trialCounts.count == points.count, "one trial count per point")
        self.points = points
        self.trialCounts = trialCounts
    }

    /// The trials of each point that `shard` runs; all of them when `shard` is nil.
    public func trials(for shard: Shard?) -> [[Int]] {
        var unit = 0
        return trialCounts.map { count in
            (0..<count).filter { _ in
                defer { unit += 1 }
                return shard.map { unit % $0.count == $0.index - 1 } ?? true
            }
        }
    }

    public var unitCount: Int { trialCounts.reduce(0, +) }
}
